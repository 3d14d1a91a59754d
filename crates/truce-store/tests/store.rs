//! One suite, two backends: every case runs on SQLite (a temp dir) and on PostgreSQL (a fresh
//! schema in the database named by TRUCE_TEST_DATABASE_URL, dropped afterwards).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};
use truce_model::{
    About, Act, Casualties, Count, DatePrecision, DocumentMeta, Evidence, GeoPrecision, Incident,
    NaiveDate, Party, Qualifier, Reporter, Side, Span, Statement, Target, Weapon,
};
use truce_store::*;

// ---------------------------------------------------------------------------------------------
// The harness.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A fresh, empty place for a store, removed afterwards.
pub struct Env {
    pub kind: Kind,
    pub loc: Location,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>, // (admin url, schema)
}

static SEQ: AtomicU64 = AtomicU64::new(0);

fn pg_base_url() -> String {
    match std::env::var("TRUCE_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => panic!(
            "TRUCE_TEST_DATABASE_URL is not set: the PostgreSQL half of the store's suite needs a \
             database. Start PostgreSQL and run e.g.\n  createdb -h 127.0.0.1 -U postgres truce_test\n  \
             export TRUCE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/truce_test\n\
             (.ci/run does this for CI)"
        ),
    }
}

impl Env {
    pub fn new(kind: Kind) -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        match kind {
            Kind::Sqlite => Env {
                kind,
                loc: Location::Sqlite(dir.path().join("data")),
                _dir: dir,
                pg: None,
            },
            Kind::Postgres => {
                let base = pg_base_url();
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.subsec_nanos());
                let schema = format!(
                    "truce_t{}_{}_{}",
                    std::process::id(),
                    SEQ.fetch_add(1, Ordering::Relaxed),
                    nanos
                );
                let mut c = postgres::Client::connect(&base, postgres::NoTls)
                    .unwrap_or_else(|e| panic!("cannot connect to {base}: {e}"));
                c.batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .expect("create schema");
                let sep = if base.contains('?') { '&' } else { '?' };
                let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
                Env {
                    kind,
                    loc: Location::Postgres(url),
                    _dir: dir,
                    pg: Some((base, schema)),
                }
            }
        }
    }

    pub fn opts(&self) -> Options {
        Options {
            log_key: Some(self._dir.path().join("log.key")),
            ..Options::default()
        }
    }

    pub fn open(&self) -> Box<dyn Store> {
        open_with(&self.loc, &self.opts()).unwrap_or_else(|e| panic!("open {:?}: {e}", self.kind))
    }

    pub fn open_with(&self, opts: &Options) -> Result<Box<dyn Store>, StoreError> {
        open_with(&self.loc, opts)
    }

    /// Runs raw SQL on the store's database, bypassing the store.
    pub fn raw(&self, sql: &str) {
        match (&self.loc, &self.pg) {
            (Location::Sqlite(dir), _) => {
                let c = rusqlite::Connection::open(dir.join("truce.db")).expect("raw open");
                c.execute_batch(sql).expect("raw sql");
            }
            (Location::Postgres(url), _) => {
                let mut c = postgres::Client::connect(url, postgres::NoTls).expect("raw connect");
                c.batch_execute(sql).expect("raw sql");
            }
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self._dir.path().to_path_buf()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.pg
            && let Ok(mut c) = postgres::Client::connect(base, postgres::NoTls)
        {
            let _ = c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
        }
    }
}

/// Runs one case on one backend in a fresh environment.
pub fn check(kind: Kind, case: fn(&Env)) {
    let env = Env::new(kind);
    case(&env);
}

/// Declares a case for both backends: `cases::name::sqlite` and `cases::name::postgres`.
#[macro_export]
macro_rules! both {
    ($($case:ident),+ $(,)?) => {
        $(
            mod $case {
                #[test]
                fn sqlite() {
                    $crate::check($crate::Kind::Sqlite, super::$case);
                }
                #[test]
                fn postgres() {
                    $crate::check($crate::Kind::Postgres, super::$case);
                }
            }
        )+
    };
}

// ---------------------------------------------------------------------------------------------
// Builders.

pub fn sha(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn doc(text: &str, published: Option<&str>) -> DocumentMeta {
    DocumentMeta {
        id: sha(text),
        published: published.map(date),
        language: "en".into(),
        url: Some(format!("https://example.org/{}", &sha(text)[..8])),
        source: Some("test".into()),
        boilerplate: vec![Span::new(0, 3)],
    }
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

pub fn incident(d: &str, admin1: &str, perp: Side, targets: &[Target]) -> Incident {
    Incident {
        date: Some(date(d)),
        date_precision: DatePrecision::Day,
        place: Some(format!("{admin1} town")),
        admin1: Some(admin1.into()),
        country: Some("UA".into()),
        lat: Some(50.9077),
        lon: Some(34.7981),
        geo_precision: Some(GeoPrecision::Settlement),
        perpetrator: perp,
        reported_by: Reporter::Media,
        weapons: vec![Weapon::BallisticMissile, Weapon::Drone],
        targets: targets.to_vec(),
        killed: Casualties {
            count: Some(Count {
                n: 35,
                q: Qualifier::AtLeast,
            }),
            vague_low: None,
        },
        injured: Casualties {
            count: None,
            vague_low: Some(12),
        },
        evidence: Evidence {
            span: Span::new(4, 20),
            text: "a strike was reported".into(),
        },
    }
}

pub fn statement(d: Option<&str>) -> Statement {
    Statement {
        date: d.map(date),
        speaker: "A spokesperson".into(),
        party: Party::Ru,
        act: Act::AcceptConditionally,
        about: About::GeneralCeasefire,
        target: Some(Party::Us),
        evidence: Evidence {
            span: Span::new(0, 10),
            text: "agreed in principle".into(),
        },
    }
}

pub fn event(id: &str, d: &str, admin1: &str, members: Vec<RecordKey>) -> EventRow {
    EventRow {
        id: id.into(),
        date: Some(date(d)),
        place: Some(format!("{admin1} town")),
        admin1: Some(admin1.into()),
        country: Some("UA".into()),
        lat: Some(50.0),
        lon: Some(36.0),
        perpetrator: Side::Ru,
        targets: vec![Target::Energy],
        payload: format!("{{\"id\":\"{id}\"}}"),
        members,
        updated_at: 0,
    }
}

pub fn agreement(id: &str) -> AgreementRow {
    AgreementRow {
        id: id.into(),
        title: format!("Agreement {id}"),
        toml: format!("id = \"{id}\"\n"),
        summary: format!("{{\"id\":\"{id}\"}}"),
        updated_at: 0,
    }
}

pub fn verdict(event: &str, agreement: &str, v: &str) -> VerdictRow {
    VerdictRow {
        event: event.into(),
        agreement: agreement.into(),
        verdict: v.into(),
        strength: Some("one_party_claim".into()),
        reason: "inside the window; energy target".into(),
        engine: "truce-verdict 0.1.0".into(),
        entries: vec![0, 2, 5],
        updated_at: 0,
    }
}

/// Stores one document with one incident; returns its id.
pub fn put_doc_with_incident(store: &dyn Store, text: &str, inc: Incident) -> String {
    let meta = doc(text, Some("2025-04-14"));
    let mut b = store.begin("test").expect("begin");
    assert!(b.put_document(&meta, text).expect("put"));
    b.put_records(&meta.id, &[inc], &[]).expect("records");
    b.commit().expect("commit");
    meta.id
}

// ---------------------------------------------------------------------------------------------
// Cases.

both!(
    opens_and_migrates,
    refuses_newer_schema,
    documents_are_idempotent_by_content_hash,
    bad_documents_are_refused_with_the_field,
    records_round_trip,
    failed_batch_leaves_nothing,
    pages_and_filters_incidents,
    pages_documents_and_statements,
    events_verdicts_and_filters,
    tokens_reports_reviews_and_audit,
    jobs_are_claimed_once_by_concurrent_workers,
    expired_leases_are_reclaimed,
    locked_database_is_a_clear_error,
    queries_refuse_what_they_cannot_answer,
    log_appends_commit_with_their_batch,
    log_append_rolls_back_with_its_batch,
    stale_sequencer_is_refused,
    concurrent_sequencers_never_fork_the_log,
    log_key_is_created_once_and_checked,
    documents_in_bulk,
    events_and_verdicts_in_bulk,
    verdicts_of_many_events,
);

fn opens_and_migrates(env: &Env) {
    let s = env.open();
    let backend = match env.kind {
        Kind::Sqlite => Backend::Sqlite,
        Kind::Postgres => Backend::Postgres,
    };
    let known = migrations(backend).last().map(|m| m.0).unwrap_or(0);
    assert_eq!(s.schema_version().unwrap(), known);
    assert_eq!(s.counts().unwrap(), Counts::default());
    let id = put_doc_with_incident(
        &*s,
        "first text",
        incident("2025-04-13", "Sumy Oblast", Side::Ru, &[Target::Civilian]),
    );
    drop(s);
    // Re-running the migrations is a no-op and keeps the data.
    let s = env.open();
    assert_eq!(s.schema_version().unwrap(), known);
    assert!(s.has_document(&id).unwrap());
    // And so is opening twice at once.
    let s2 = env.open();
    assert_eq!(s2.counts().unwrap().incidents, 1);
    if env.kind == Kind::Sqlite {
        assert!(s.describe().contains("truce.db"), "{}", s.describe());
    }
}

fn refuses_newer_schema(env: &Env) {
    drop(env.open());
    env.raw(
        "INSERT INTO schema_version (version, name, applied_at) VALUES (999, '0999_future.sql', 0)",
    );
    let err = env
        .open_with(&env.opts())
        .err()
        .expect("newer schema must be refused");
    assert!(
        matches!(err, StoreError::SchemaTooNew { found: 999, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("999"), "{err}");
}

fn documents_are_idempotent_by_content_hash(env: &Env) {
    let s = env.open();
    let text = "Shelling was reported overnight.";
    let meta = doc(text, Some("2025-03-14"));
    let mut b = s.begin("test").unwrap();
    assert!(b.put_document(&meta, text).unwrap());
    // Inside the same batch, the second insert sees the first.
    assert!(!b.put_document(&meta, text).unwrap());
    assert!(b.has_document(&meta.id).unwrap());
    b.commit().unwrap();
    let mut b = s.begin("test").unwrap();
    assert!(!b.put_document(&meta, text).unwrap());
    b.commit().unwrap();
    assert_eq!(s.counts().unwrap().documents, 1);
    let got = s.document(&meta.id).unwrap().expect("stored");
    assert_eq!(got.meta, meta);
    assert_eq!(got.text.as_deref(), Some(text));
    assert_eq!(got.text_len, text.len() as u64);
    let other = sha("not stored");
    let mut found = s.stored_documents(&[meta.id.clone(), other]).unwrap();
    found.sort();
    assert_eq!(found, vec![meta.id.clone()]);
}

fn bad_documents_are_refused_with_the_field(env: &Env) {
    let s = env.open();
    let text = "Some text.";
    let cases: Vec<(DocumentMeta, &str, &str)> = vec![
        (
            DocumentMeta {
                id: "abc".into(),
                ..doc(text, None)
            },
            text,
            "document.id",
        ),
        (doc("another text", None), text, "not the SHA-256"),
        (
            DocumentMeta {
                language: String::new(),
                ..doc(text, None)
            },
            text,
            "document.language",
        ),
        (doc("nul\0", None), "nul\0", "document.text"),
    ];
    for (meta, t, needle) in cases {
        let mut b = s.begin("test").unwrap();
        let err = b.put_document(&meta, t).expect_err(needle);
        assert!(matches!(err, StoreError::BadInput { .. }), "{err}");
        assert!(
            err.to_string().contains(needle),
            "{err} should name {needle}"
        );
    }
    // Records with bad values name the record and the field.
    let meta = doc(text, None);
    let mut b = s.begin("test").unwrap();
    b.put_document(&meta, text).unwrap();
    let mut inc = incident("2025-04-13", "Sumy Oblast", Side::Ru, &[]);
    inc.lat = Some(123.0);
    let err = b.put_records(&meta.id, &[inc], &[]).unwrap_err();
    assert!(err.to_string().contains("incident 0 of document"), "{err}");
    assert!(err.to_string().contains("lat"), "{err}");
    assert_eq!(s.counts().unwrap().documents, 0);
}

fn records_round_trip(env: &Env) {
    let s = env.open();
    let text = "Records round trip.";
    let meta = doc(text, Some("2025-04-13"));
    let mut a = incident(
        "2025-04-13",
        "Sumy Oblast",
        Side::Ru,
        &[Target::Civilian, Target::Transport],
    );
    a.place = None;
    let mut b_inc = incident("2025-04-14", "Kharkiv Oblast", Side::Unknown, &[]);
    b_inc.date = None;
    b_inc.date_precision = DatePrecision::Unknown;
    b_inc.lat = None;
    b_inc.lon = None;
    b_inc.geo_precision = None;
    b_inc.weapons = vec![];
    b_inc.killed = Casualties::default();
    let sts = vec![
        statement(Some("2025-03-13")),
        Statement {
            target: None,
            ..statement(None)
        },
    ];
    let mut b = s.begin("test").unwrap();
    b.put_document(&meta, text).unwrap();
    b.put_records(&meta.id, &[a.clone(), b_inc.clone()], &sts)
        .unwrap();
    b.commit().unwrap();
    let (incs, got_sts) = s.records_of(&meta.id).unwrap();
    assert_eq!(
        incs.iter().map(|r| r.incident.clone()).collect::<Vec<_>>(),
        vec![a, b_inc]
    );
    assert_eq!(incs[1].key, RecordKey::new(meta.id.clone(), 1));
    assert_eq!(
        got_sts
            .iter()
            .map(|r| r.statement.clone())
            .collect::<Vec<_>>(),
        sts
    );
}

fn failed_batch_leaves_nothing(env: &Env) {
    let s = env.open();
    let text = "This batch fails half way.";
    let meta = doc(text, None);
    {
        let mut b = s.begin("test").unwrap();
        assert!(b.put_document(&meta, text).unwrap());
        b.put_records(
            &meta.id,
            &[incident("2025-04-13", "Sumy Oblast", Side::Ru, &[])],
            &[],
        )
        .unwrap();
        b.put_agreement(&agreement("energy-2025")).unwrap();
        // A record for a document that is not stored: refused, naming it.
        let err = b
            .put_records(
                &sha("missing"),
                &[incident("2025-04-13", "Sumy Oblast", Side::Ru, &[])],
                &[],
            )
            .unwrap_err();
        assert!(matches!(err, StoreError::Constraint { .. }), "{err}");
        assert!(err.to_string().contains(&sha("missing")), "{err}");
        // dropped here: rolled back
    }
    assert!(!s.has_document(&meta.id).unwrap());
    assert_eq!(s.counts().unwrap(), Counts::default());
    // Committing after a failed statement rolls everything back and says so.
    let mut b = s.begin("test").unwrap();
    assert!(b.put_document(&meta, text).unwrap());
    assert!(
        b.put_records(
            &sha("missing"),
            &[incident("2025-04-13", "Sumy Oblast", Side::Ru, &[])],
            &[]
        )
        .is_err()
    );
    let err = b.commit().unwrap_err();
    assert!(err.to_string().contains("rolled back"), "{err}");
    assert!(err.to_string().contains(&sha("missing")), "{err}");
    assert!(!s.has_document(&meta.id).unwrap());
    // An explicit rollback too.
    let mut b = s.begin("test").unwrap();
    b.put_document(&meta, text).unwrap();
    b.rollback().unwrap();
    assert_eq!(s.counts().unwrap(), Counts::default());
    assert!(s.audit(&Query::default()).unwrap().items.is_empty());
    // The store still works afterwards.
    let mut b = s.begin("test").unwrap();
    assert!(b.put_document(&meta, text).unwrap());
    b.commit().unwrap();
    assert!(s.has_document(&meta.id).unwrap());
}

/// Pages through a listing, checking each page's size.
fn all_pages<T: Clone>(
    limit: u32,
    mut q: Query,
    f: impl Fn(&Query) -> Result<Page<T>, StoreError>,
) -> Vec<T> {
    q.limit = limit;
    let mut out = Vec::new();
    loop {
        let page = f(&q).unwrap();
        assert!(page.items.len() <= limit as usize);
        out.extend(page.items.iter().cloned());
        match page.next {
            Some(c) => {
                assert_eq!(
                    page.items.len(),
                    limit as usize,
                    "only full pages have a next cursor"
                );
                q.after = Some(Cursor::from_token(c.as_str()));
            }
            None => break,
        }
    }
    out
}

/// (date, document, ord, incident)
type Expected = (String, String, u32, Incident);

fn pages_and_filters_incidents(env: &Env) {
    let s = env.open();
    let oblasts = ["Sumy Oblast", "Kharkiv Oblast", "Odesa Oblast"];
    let mut expected = Vec::new();
    let mut b = s.begin("test").unwrap();
    for i in 0..23u32 {
        let text = format!("Report number {i}.");
        let meta = doc(&text, Some("2025-04-01"));
        b.put_document(&meta, &text).unwrap();
        let mut incs = Vec::new();
        for j in 0..(i % 3) {
            let d = format!("2025-04-{:02}", 1 + (i * 7 + j) % 28);
            let perp = if (i + j) % 2 == 0 { Side::Ru } else { Side::Ua };
            let targets: &[Target] = if j == 0 {
                &[Target::Energy]
            } else {
                &[Target::Civilian, Target::Military]
            };
            let inc = incident(&d, oblasts[(i % 3) as usize], perp, targets);
            expected.push((d.clone(), meta.id.clone(), j, inc.clone()));
            incs.push(inc);
        }
        b.put_records(&meta.id, &incs, &[]).unwrap();
    }
    b.commit().unwrap();
    // By date, then in the order stored (a stable sort of the insertion order).
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    let keys = |rows: &[IncidentRow]| {
        rows.iter()
            .map(|r| (r.key.document.clone(), r.key.ord))
            .collect::<Vec<_>>()
    };
    let want = |pred: &dyn Fn(&Expected) -> bool| {
        expected
            .iter()
            .filter(|e| pred(e))
            .map(|e| (e.1.clone(), e.2))
            .collect::<Vec<_>>()
    };
    for limit in [1, 4, 7, 100] {
        let got = all_pages(limit, Query::default(), |q| s.incidents(q));
        assert_eq!(keys(&got), want(&|_| true), "limit {limit}");
    }
    let q = Query {
        admin1: Some("Kharkiv Oblast".into()),
        ..Query::default()
    };
    let got = all_pages(3, q, |q| s.incidents(q));
    assert_eq!(
        keys(&got),
        want(&|e| e.3.admin1.as_deref() == Some("Kharkiv Oblast"))
    );
    assert!(!got.is_empty());
    let q = Query {
        perpetrator: Some(Side::Ua),
        target: Some(Target::Civilian),
        ..Query::default()
    };
    let got = all_pages(2, q, |q| s.incidents(q));
    assert_eq!(
        keys(&got),
        want(&|e| e.3.perpetrator == Side::Ua && e.3.targets.contains(&Target::Civilian))
    );
    assert!(!got.is_empty());
    let q = Query {
        from: Some(date("2025-04-05")),
        to: Some(date("2025-04-12")),
        ..Query::default()
    };
    let got = all_pages(5, q, |q| s.incidents(q));
    assert_eq!(
        keys(&got),
        want(&|e| e.0.as_str() >= "2025-04-05" && e.0.as_str() <= "2025-04-12")
    );
    assert!(!got.is_empty());
    let q = Query {
        place: Some("Odesa Oblast town".into()),
        ..Query::default()
    };
    assert_eq!(
        keys(&all_pages(50, q, |q| s.incidents(q))),
        want(&|e| e.3.admin1.as_deref() == Some("Odesa Oblast"))
    );
}

fn pages_documents_and_statements(env: &Env) {
    let s = env.open();
    let mut b = s.begin("test").unwrap();
    let mut ids = Vec::new();
    for i in 0..12 {
        let text = format!("Statement text {i}.");
        let published = if i % 4 == 0 {
            None
        } else {
            Some(format!("2025-03-{:02}", 10 + i))
        };
        let meta = doc(&text, published.as_deref());
        b.put_document(&meta, &text).unwrap();
        let party_st = Statement {
            party: if i % 2 == 0 { Party::Ru } else { Party::Ua },
            ..statement(published.as_deref())
        };
        b.put_records(&meta.id, &[], &[party_st]).unwrap();
        ids.push((published.unwrap_or_default(), meta.id));
    }
    b.commit().unwrap();
    ids.sort_by(|a, b| a.0.cmp(&b.0)); // by published, then in the order stored
    let got = all_pages(5, Query::default(), |q| s.documents(q));
    assert_eq!(
        got.iter().map(|d| d.meta.id.clone()).collect::<Vec<_>>(),
        ids.iter().map(|x| x.1.clone()).collect::<Vec<_>>()
    );
    assert!(got.iter().all(|d| d.text.is_none() && d.text_len > 0));
    let with_text = s
        .documents(&Query {
            with_text: true,
            ..Query::limit(2)
        })
        .unwrap();
    assert!(with_text.items.iter().all(|d| d.text.is_some()));
    // A date range never includes unknown dates.
    let q = Query {
        from: Some(date("2025-03-01")),
        ..Query::default()
    };
    let got = all_pages(4, q, |q| s.documents(q));
    assert_eq!(got.len(), 9);
    let q = Query {
        party: Some(Party::Ua),
        ..Query::default()
    };
    let got = all_pages(2, q, |q| s.statements(q));
    assert_eq!(got.len(), 6);
    assert!(got.iter().all(|r| r.statement.party == Party::Ua));
}

fn events_verdicts_and_filters(env: &Env) {
    let s = env.open();
    let d1 = put_doc_with_incident(
        &*s,
        "event doc one",
        incident("2025-03-20", "Sumy Oblast", Side::Ru, &[Target::Energy]),
    );
    let d2 = put_doc_with_incident(
        &*s,
        "event doc two",
        incident("2025-03-20", "Sumy Oblast", Side::Ru, &[Target::Energy]),
    );
    let d3 = put_doc_with_incident(
        &*s,
        "event doc three",
        incident(
            "2025-04-13",
            "Kharkiv Oblast",
            Side::Ua,
            &[Target::Civilian],
        ),
    );
    let mut b = s.begin("events").unwrap();
    b.put_agreement(&agreement("energy-moratorium-2025"))
        .unwrap();
    b.put_agreement(&agreement("easter-truce-2025")).unwrap();
    b.put_event(&event(
        "ev-1",
        "2025-03-20",
        "Sumy Oblast",
        vec![RecordKey::new(d1.clone(), 0)],
    ))
    .unwrap();
    let mut e3 = event(
        "ev-3",
        "2025-04-13",
        "Kharkiv Oblast",
        vec![RecordKey::new(d3.clone(), 0)],
    );
    e3.perpetrator = Side::Ua;
    e3.targets = vec![Target::Civilian];
    b.put_event(&e3).unwrap();
    b.put_verdict(&verdict(
        "ev-1",
        "energy-moratorium-2025",
        "violation_alleged",
    ))
    .unwrap();
    b.put_verdict(&verdict("ev-1", "easter-truce-2025", "not_applicable"))
        .unwrap();
    b.put_verdict(&verdict("ev-3", "energy-moratorium-2025", "not_applicable"))
        .unwrap();
    b.commit().unwrap();
    // Re-merging replaces the member list.
    let mut b = s.begin("events").unwrap();
    b.put_event(&event(
        "ev-1",
        "2025-03-20",
        "Sumy Oblast",
        vec![RecordKey::new(d1.clone(), 0), RecordKey::new(d2.clone(), 0)],
    ))
    .unwrap();
    b.commit().unwrap();
    let e = s.event("ev-1").unwrap().unwrap();
    let mut members = vec![RecordKey::new(d1.clone(), 0), RecordKey::new(d2.clone(), 0)];
    members.sort();
    assert_eq!(e.members, members);
    assert_eq!(e.payload, "{\"id\":\"ev-1\"}");
    assert_eq!(
        s.events_of_incident(&RecordKey::new(d2, 0)).unwrap(),
        vec!["ev-1".to_string()]
    );
    let ids = |p: Page<EventRow>| p.items.into_iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(
        ids(s.events(&Query::default()).unwrap()),
        vec!["ev-1", "ev-3"]
    );
    // event_rows: the same rows without their members.
    let mut full = s.events(&Query::default()).unwrap().items;
    full.iter_mut().for_each(|e| e.members.clear());
    assert_eq!(s.event_rows(&Query::default()).unwrap().items, full);
    let q = Query {
        verdict: Some("violation_alleged".into()),
        ..Query::default()
    };
    assert_eq!(ids(s.events(&q).unwrap()), vec!["ev-1"]);
    let q = Query {
        verdict: Some("not_applicable".into()),
        agreement: Some("energy-moratorium-2025".into()),
        ..Query::default()
    };
    assert_eq!(ids(s.events(&q).unwrap()), vec!["ev-3"]);
    let q = Query {
        target: Some(Target::Civilian),
        ..Query::default()
    };
    assert_eq!(ids(s.events(&q).unwrap()), vec!["ev-3"]);
    let q = Query {
        perpetrator: Some(Side::Ru),
        from: Some(date("2025-03-18")),
        to: Some(date("2025-04-17")),
        ..Query::default()
    };
    assert_eq!(ids(s.events(&q).unwrap()), vec!["ev-1"]);
    let q = Query {
        agreement: Some("energy-moratorium-2025".into()),
        ..Query::default()
    };
    let v = all_pages(1, q, |q| s.verdicts(q));
    assert_eq!(v.len(), 2);
    assert_eq!(
        v[0],
        VerdictRow {
            updated_at: v[0].updated_at,
            ..verdict("ev-1", "energy-moratorium-2025", "violation_alleged")
        }
    );
    assert_eq!(s.agreements().unwrap().len(), 2);
    assert_eq!(
        s.agreement("easter-truce-2025").unwrap().unwrap().toml,
        "id = \"easter-truce-2025\"\n"
    );
    // A verdict naming an agreement that is not stored is refused, naming both.
    let mut b = s.begin("events").unwrap();
    let err = b
        .put_verdict(&verdict("ev-3", "no-such-agreement", "not_applicable"))
        .unwrap_err();
    assert!(matches!(err, StoreError::Constraint { .. }), "{err}");
    assert!(err.to_string().contains("ev-3/no-such-agreement"), "{err}");
    drop(b);
    // An event with a member that is not a stored incident is refused.
    let mut b = s.begin("events").unwrap();
    let err = b
        .put_event(&event(
            "ev-x",
            "2025-03-20",
            "Sumy Oblast",
            vec![RecordKey::new(d1.clone(), 7)],
        ))
        .unwrap_err();
    assert!(err.to_string().contains(&format!("{d1}#7")), "{err}");
    drop(b);
    // Deleting an event removes its verdicts.
    let mut b = s.begin("events").unwrap();
    assert!(b.delete_event("ev-1").unwrap());
    assert!(!b.delete_event("ev-1").unwrap());
    b.commit().unwrap();
    assert_eq!(s.counts().unwrap().verdicts, 1);
    assert_eq!(s.counts().unwrap().events, 1);
}

fn tokens_reports_reviews_and_audit(env: &Env) {
    let s = env.open();
    let t = s
        .put_token("admin-cli", "hash-of-secret", Role::Analyst, "field office")
        .unwrap();
    assert_eq!(t.role, Role::Analyst);
    assert_eq!(s.token_by_hash("hash-of-secret").unwrap(), Some(t.clone()));
    assert_eq!(s.token_by_hash("other").unwrap(), None);
    let err = s
        .put_token("admin-cli", "hash-of-secret", Role::Admin, "dup")
        .unwrap_err();
    assert!(matches!(err, StoreError::Constraint { .. }), "{err}");
    assert!(s.revoke_token("admin-cli", t.id).unwrap());
    assert!(!s.revoke_token("admin-cli", t.id).unwrap());
    assert!(
        s.token_by_hash("hash-of-secret")
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some()
    );
    assert_eq!(s.tokens().unwrap().len(), 1);
    assert_eq!("analyst".parse::<Role>().unwrap(), Role::Analyst);
    assert!(
        "root"
            .parse::<Role>()
            .unwrap_err()
            .to_string()
            .contains("admin")
    );

    let r = s
        .add_report("monitor-7", "{\"place\":\"Sumy\"}", None)
        .unwrap();
    assert_eq!(s.reports(&Query::default()).unwrap().items, vec![r]);

    let d = put_doc_with_incident(
        &*s,
        "reviewed",
        incident("2025-03-20", "Sumy Oblast", Side::Ru, &[]),
    );
    let mut b = s.begin("events").unwrap();
    b.put_event(&event(
        "ev-r",
        "2025-03-20",
        "Sumy Oblast",
        vec![RecordKey::new(d, 0)],
    ))
    .unwrap();
    b.commit().unwrap();
    let rv = s
        .add_review(
            "analyst-2",
            &NewReview {
                event: "ev-r".into(),
                action: ReviewAction::Verify,
                note: "seen".into(),
            },
        )
        .unwrap();
    assert_eq!(s.reviews("ev-r").unwrap(), vec![rv]);
    let err = s
        .add_review(
            "analyst-2",
            &NewReview {
                event: "nope".into(),
                action: ReviewAction::Dispute,
                note: String::new(),
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");

    let audit = all_pages(2, Query::default(), |q| s.audit(q));
    let lines: Vec<(String, String)> = audit
        .iter()
        .map(|a| (a.author.clone(), a.action.clone()))
        .collect();
    let want: Vec<(String, String)> = [
        ("admin-cli", "put_token"),
        ("admin-cli", "revoke_token"),
        ("admin-cli", "revoke_token"), // attempts are audited too
        ("monitor-7", "add_report"),
        ("test", "batch"),
        ("events", "batch"),
        ("analyst-2", "add_review"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(lines, want);
    assert!(
        audit[4].detail.contains("1 documents"),
        "{}",
        audit[4].detail
    );
}

fn jobs_are_claimed_once_by_concurrent_workers(env: &Env) {
    let s = env.open();
    let jobs: Vec<NewJob> = (0..120)
        .map(|i| NewJob {
            key: format!("file-{i}"),
            payload: format!("{{\"n\":{i}}}"),
        })
        .collect();
    assert_eq!(s.enqueue_jobs("ingest", &jobs).unwrap(), 120);
    assert_eq!(
        s.enqueue_jobs("ingest", &jobs[..10]).unwrap(),
        0,
        "queueing is idempotent by key"
    );
    let workers: Vec<Box<dyn Store>> = vec![env.open(), env.open()];
    let claimed: Vec<Vec<i64>> = std::thread::scope(|sc| {
        let hs: Vec<_> = workers
            .iter()
            .enumerate()
            .map(|(w, st)| {
                sc.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let got = st
                            .claim_jobs(&format!("worker-{w}"), 3, Duration::from_secs(600))
                            .unwrap();
                        if got.is_empty() {
                            break;
                        }
                        let mut b = st.begin(&format!("worker-{w}")).unwrap();
                        for j in &got {
                            assert_eq!(j.state, JobState::Running);
                            assert_eq!(j.worker.as_deref(), Some(format!("worker-{w}").as_str()));
                            b.finish_job(j.id).unwrap();
                            mine.push(j.id);
                        }
                        b.commit().unwrap();
                        // Coding the documents takes a while outside any transaction.
                        std::thread::sleep(Duration::from_millis(3));
                    }
                    mine
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all: Vec<i64> = claimed.iter().flatten().copied().collect();
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), n, "a job was claimed twice");
    assert_eq!(n, 120);
    assert!(
        claimed.iter().all(|c| !c.is_empty()),
        "both workers got work: {:?}",
        claimed.iter().map(Vec::len).collect::<Vec<_>>()
    );
    assert_eq!(
        s.job_counts().unwrap(),
        JobCounts {
            done: 120,
            ..JobCounts::default()
        }
    );
}

fn expired_leases_are_reclaimed(env: &Env) {
    let s = env.open();
    s.enqueue_jobs(
        "ingest",
        &[
            NewJob {
                key: "a".into(),
                payload: "{}".into(),
            },
            NewJob {
                key: "b".into(),
                payload: "{}".into(),
            },
        ],
    )
    .unwrap();
    let first = s
        .claim_jobs("dead-worker", 1, Duration::from_millis(0))
        .unwrap();
    assert_eq!(first.len(), 1);
    std::thread::sleep(Duration::from_millis(5));
    // The dead worker's job comes back; the other one is still pending.
    let again = s
        .claim_jobs("live-worker", 10, Duration::from_secs(60))
        .unwrap();
    assert_eq!(
        again.iter().map(|j| j.key.as_str()).collect::<Vec<_>>(),
        vec!["a", "b"]
    );
    assert_eq!(again[0].attempts, 2);
    assert!(
        s.claim_jobs("third", 10, Duration::from_secs(60))
            .unwrap()
            .is_empty()
    );
    s.fail_job("live-worker", again[1].id, "unreadable file")
        .unwrap();
    assert_eq!(
        s.jobs(JobState::Failed, 10).unwrap()[0].error.as_deref(),
        Some("unreadable file")
    );
    assert_eq!(s.retry_failed_jobs("admin").unwrap(), 1);
    assert_eq!(
        s.job_counts().unwrap(),
        JobCounts {
            pending: 1,
            running: 1,
            ..JobCounts::default()
        }
    );
    let err = s.fail_job("x", 9999, "e").unwrap_err();
    assert!(err.to_string().contains("9999"), "{err}");
}

fn locked_database_is_a_clear_error(env: &Env) {
    let s = env.open();
    let quick = Options {
        busy_timeout: Duration::from_millis(150),
        ..env.opts()
    };
    let other = env.open_with(&quick).unwrap();
    let mut holder = s.begin("holder").unwrap();
    holder.lock_log().unwrap();
    let text = "Written while locked.";
    let meta = doc(text, None);
    let r = other.begin("waiter").and_then(|mut b| {
        b.lock_log()?;
        b.put_document(&meta, text)?;
        b.commit()
    });
    let err = r.expect_err("the second writer must time out");
    assert!(err.is_locked(), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("locked"), "{msg}");
    match env.kind {
        Kind::Sqlite => assert!(msg.contains("truce.db"), "{msg}"),
        Kind::Postgres => assert!(msg.contains("PostgreSQL database"), "{msg}"),
    }
    holder.commit().unwrap();
    // Once the holder is done, the other writer proceeds.
    let mut b = other.begin("waiter").unwrap();
    b.lock_log().unwrap();
    assert!(b.put_document(&meta, text).unwrap());
    b.commit().unwrap();
    assert!(s.has_document(&meta.id).unwrap());
}

fn queries_refuse_what_they_cannot_answer(env: &Env) {
    let s = env.open();
    let err = s
        .documents(&Query {
            perpetrator: Some(Side::Ru),
            ..Query::default()
        })
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::BadQuery {
                listing: "documents",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("perpetrator"), "{err}");
    let err = s
        .incidents(&Query {
            after: Some(Cursor::from_token("zz")),
            ..Query::default()
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::BadCursor { .. }), "{err}");
    // A cursor from another listing is refused too.
    for i in 0..3 {
        let text = format!("doc {i}");
        let mut b = s.begin("t").unwrap();
        b.put_document(&doc(&text, None), &text).unwrap();
        b.commit().unwrap();
    }
    let page = s.documents(&Query::limit(1)).unwrap();
    let cur = page.next.expect("more pages");
    let err = s
        .incidents(&Query {
            after: Some(cur),
            ..Query::default()
        })
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::BadCursor {
                listing: "incidents",
                ..
            }
        ),
        "{err}"
    );
    let err = s.events(&Query::limit(MAX_LIMIT + 1)).unwrap_err();
    assert!(err.to_string().contains("limit"), "{err}");
}

#[test]
fn every_migration_file_is_compiled_in() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for (backend, dir) in [(Backend::Sqlite, "sqlite"), (Backend::Postgres, "postgres")] {
        let mut files: Vec<String> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let listed: Vec<String> = migrations(backend)
            .iter()
            .map(|m| m.1.to_string())
            .collect();
        assert_eq!(files, listed, "{dir}");
        for (i, (v, name)) in migrations(backend).iter().enumerate() {
            assert_eq!(*v as usize, i + 1);
            assert!(name.starts_with(&format!("{v:04}_")), "{name}");
        }
    }
    assert_eq!(
        migrations(Backend::Sqlite)
            .iter()
            .map(|m| m.0)
            .collect::<Vec<_>>(),
        migrations(Backend::Postgres)
            .iter()
            .map(|m| m.0)
            .collect::<Vec<_>>()
    );
}

#[test]
fn locations_parse() {
    assert_eq!(
        Location::parse("postgres://u@h/db"),
        Location::Postgres("postgres://u@h/db".into())
    );
    assert_eq!(
        Location::parse("postgresql://h/db"),
        Location::Postgres("postgresql://h/db".into())
    );
    assert_eq!(
        Location::parse("./truce-data"),
        Location::Sqlite("./truce-data".into())
    );
}

// ---------------------------------------------------------------------------------------------
// The log, through truce-tlog's sequencer and LogStorage.

use truce_note::{SigType, Signer};
use truce_tlog::{AppendBatch, Log, LogStorage, StorageError, StorageFetcher, verify_log};

fn signer() -> Signer {
    Signer::from_seed("truce.test/log", SigType::Ed25519, &[7u8; 32]).expect("signer")
}

fn entries(tag: &str, n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| format!("{{\"tag\":\"{tag}\",\"i\":{i}}}").into_bytes())
        .collect()
}

/// Appends entries (and one document) in one batch through the sequencer.
fn append_in_batch(
    store: &dyn Store,
    tag: &str,
    es: &[Vec<u8>],
) -> Result<std::ops::Range<u64>, String> {
    let mut b = store.begin("sequencer").map_err(|e| e.to_string())?;
    let text = format!("document for {tag}");
    b.put_document(&doc(&text, None), &text)
        .map_err(|e| e.to_string())?;
    let mut log = Log::open(BatchLog(&mut *b), signer()).map_err(|e| e.to_string())?;
    let r = log.append_batch(es).map_err(|e| e.to_string())?;
    drop(log);
    b.commit().map_err(|e| e.to_string())?;
    Ok(r)
}

/// Verifies the whole stored log (signature, tiles, every entry) and returns its entries.
fn verified_entries(store: &dyn Store) -> Vec<Vec<u8>> {
    let mut seen = Vec::new();
    let view = StoreLog(store);
    let report = verify_log(
        &StorageFetcher(&view),
        &[signer().verifier()],
        None,
        &mut |_, e: &[u8]| {
            seen.push(e.to_vec());
            Ok(())
        },
    )
    .unwrap_or_else(|e| panic!("stored log does not verify: {e}"));
    assert_eq!(report.entries, seen.len() as u64);
    seen
}

fn log_appends_commit_with_their_batch(env: &Env) {
    let s = env.open();
    assert_eq!(LogStorage::latest_checkpoint(&*s).unwrap(), None);
    let first = entries("a", 300); // a full tile and bundle, then a partial one
    assert_eq!(append_in_batch(&*s, "a", &first).unwrap(), 0..300);
    let second = entries("b", 20);
    assert_eq!(append_in_batch(&*s, "b", &second).unwrap(), 300..320);
    assert_eq!(s.log_size().unwrap(), 320);
    assert_eq!(s.counts().unwrap().documents, 2);
    let all = verified_entries(&*s);
    assert_eq!(all, [first, second].concat());
    // The reopened sequencer continues from the stored tiles.
    let log = Log::open(StoreLog(&*s), signer()).unwrap();
    assert_eq!(log.size(), 320);
    assert_eq!(log.entry(301).unwrap(), b"{\"tag\":\"b\",\"i\":1}".to_vec());
    // Partial tiles and bundles are served at the width asked, and only when that wide.
    use truce_tlog::{EntryBundleId, TileId};
    let b1 = LogStorage::read_entry_bundle(
        &*s,
        EntryBundleId {
            index: 1,
            width: 10,
        },
    )
    .unwrap()
    .unwrap();
    assert_eq!(truce_tlog::tile::parse_bundle(&b1).unwrap().len(), 10);
    assert_eq!(
        LogStorage::read_entry_bundle(
            &*s,
            EntryBundleId {
                index: 1,
                width: 65
            }
        )
        .unwrap(),
        None
    );
    let t = LogStorage::read_tile(
        &*s,
        TileId {
            level: 0,
            index: 1,
            width: 64,
        },
    )
    .unwrap()
    .unwrap();
    assert_eq!(t.len(), 64 * 32);
    assert_eq!(
        LogStorage::read_tile(
            &*s,
            TileId {
                level: 0,
                index: 1,
                width: 65
            }
        )
        .unwrap(),
        None
    );
    assert!(s.checkpoint_at(300).unwrap().is_some());
    // The batch's audit line names the log range.
    let audit = s.audit(&Query::default()).unwrap().items;
    assert!(
        audit.iter().any(|a| a.detail.contains("log 300 -> 320")),
        "{audit:?}"
    );
}

fn log_append_rolls_back_with_its_batch(env: &Env) {
    let s = env.open();
    append_in_batch(&*s, "kept", &entries("kept", 5)).unwrap();
    {
        let mut b = s.begin("sequencer").unwrap();
        let text = "lost with its batch";
        b.put_document(&doc(text, None), text).unwrap();
        let mut log = Log::open(BatchLog(&mut *b), signer()).unwrap();
        log.append_batch(&entries("lost", 40)).unwrap();
        drop(log);
        assert_eq!(b.log_size().unwrap(), 45, "the batch sees its own append");
        // dropped: rolled back
    }
    assert_eq!(s.log_size().unwrap(), 5);
    assert!(!s.has_document(&sha("lost with its batch")).unwrap());
    assert_eq!(verified_entries(&*s), entries("kept", 5));
    // The next append continues from 5, as if the lost one never happened.
    assert_eq!(
        append_in_batch(&*s, "next", &entries("next", 3)).unwrap(),
        5..8
    );
    assert_eq!(verified_entries(&*s).len(), 8);
}

fn stale_sequencer_is_refused(env: &Env) {
    let s = env.open();
    append_in_batch(&*s, "a", &entries("a", 3)).unwrap();
    let mut b = s.begin("sequencer").unwrap();
    let cp = b.latest_checkpoint().unwrap().unwrap();
    let one = entries("x", 1);
    let err = b
        .append(&AppendBatch {
            old_size: 0,
            new_size: 1,
            entries: &one,
            tiles: vec![],
            bundles: vec![],
            checkpoint: cp,
        })
        .unwrap_err();
    assert!(
        matches!(
            err,
            StorageError::Conflict {
                expected: 0,
                actual: 3
            }
        ),
        "{err}"
    );
    drop(b);
    assert_eq!(verified_entries(&*s).len(), 3);
}

fn concurrent_sequencers_never_fork_the_log(env: &Env) {
    let stores: Vec<Box<dyn Store>> = (0..3).map(|_| env.open()).collect();
    std::thread::scope(|sc| {
        for (w, st) in stores.iter().enumerate() {
            sc.spawn(move || {
                for round in 0..8 {
                    let tag = format!("w{w}r{round}");
                    append_in_batch(&**st, &tag, &entries(&tag, 7))
                        .unwrap_or_else(|e| panic!("{tag}: {e}"));
                }
            });
        }
    });
    let all = verified_entries(&*stores[0]);
    assert_eq!(all.len(), 3 * 8 * 7);
    let mut distinct = all.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), all.len());
    // Each batch's entries are contiguous: the sequencer lock held for the whole batch.
    for chunk in all.chunks(7) {
        let tag = |e: &Vec<u8>| {
            String::from_utf8_lossy(e)
                .split('"')
                .nth(3)
                .map(str::to_string)
        };
        assert!(
            chunk.iter().all(|e| tag(e) == tag(&chunk[0])),
            "interleaved batch"
        );
    }
    assert_eq!(stores[0].counts().unwrap().documents, 24);
}

fn log_key_is_created_once_and_checked(env: &Env) {
    let s = env.open();
    let path = s.log_key_path().to_path_buf();
    assert_eq!(path, env.data_dir().join("log.key"));
    assert!(!path.exists());
    let signer = s.log_signer(DEFAULT_LOG_ORIGIN).unwrap();
    assert_eq!(signer.name(), DEFAULT_LOG_ORIGIN);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let recorded = s.log_key().unwrap().expect("verifier recorded");
    assert_eq!(recorded.verifier, signer.verifier().to_string());
    // Later opens load the same key, whatever origin they ask for.
    let again = env.open().log_signer("other.origin/log").unwrap();
    assert_eq!(again.verifier().to_string(), recorded.verifier);
    // A process pointed at a missing key is refused, naming the recorded verifier.
    let elsewhere = Options {
        log_key: Some(env.data_dir().join("other/log.key")),
        ..env.opts()
    };
    let other = env.open_with(&elsewhere).unwrap();
    let err = other.log_signer(DEFAULT_LOG_ORIGIN).unwrap_err();
    assert!(err.to_string().contains(&recorded.verifier), "{err}");
    assert!(err.to_string().contains("other/log.key"), "{err}");
    // A different key is refused too.
    let foreign = Signer::from_seed("truce.local/log", SigType::Ed25519, &[9u8; 32]).unwrap();
    std::fs::create_dir_all(env.data_dir().join("other")).unwrap();
    std::fs::write(
        env.data_dir().join("other/log.key"),
        foreign.to_private_text(),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = env.data_dir().join("other/log.key");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = other.log_signer(DEFAULT_LOG_ORIGIN).unwrap_err();
        assert!(err.to_string().contains("chmod 600"), "{err}");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let err = other.log_signer(DEFAULT_LOG_ORIGIN).unwrap_err();
    assert!(err.to_string().contains("this log is signed by"), "{err}");
    // A key file that is not a key names the file.
    std::fs::write(env.data_dir().join("other/log.key"), "not a key").unwrap();
    let err = other.log_signer(DEFAULT_LOG_ORIGIN).unwrap_err();
    assert!(matches!(err, StoreError::LogKey { .. }), "{err}");
}

fn documents_in_bulk(env: &Env) {
    let s = env.open();
    let texts: Vec<String> = (0..600).map(|i| format!("Bulk report {i}.")).collect();
    let metas: Vec<DocumentMeta> = texts.iter().map(|t| doc(t, Some("2025-04-01"))).collect();
    let incs = vec![
        incident("2025-04-01", "Sumy Oblast", Side::Ru, &[Target::Energy]),
        incident("2025-04-02", "Odesa Oblast", Side::Ua, &[]),
    ];
    let sts = vec![statement(Some("2025-04-01"))];
    // One document stored beforehand.
    let mut b = s.begin("bulk").unwrap();
    assert!(b.put_document(&metas[5], &texts[5]).unwrap());
    b.commit().unwrap();
    let mut docs: Vec<NewDocument<'_>> = metas
        .iter()
        .zip(&texts)
        .map(|(m, t)| NewDocument {
            meta: m,
            text: t,
            incidents: &incs,
            statements: &sts,
        })
        .collect();
    docs.push(docs[0]); // repeated within the call
    // A bad document anywhere refuses the whole call before anything is written.
    let bad_meta = DocumentMeta {
        id: sha("other"),
        ..metas[0].clone()
    };
    let mut with_bad = docs.clone();
    with_bad.insert(
        300,
        NewDocument {
            meta: &bad_meta,
            ..docs[0]
        },
    );
    let mut b = s.begin("bulk").unwrap();
    let err = b.put_documents(&with_bad).unwrap_err();
    assert!(err.to_string().contains("document.id"), "{err}");
    drop(b);
    assert_eq!(s.counts().unwrap().documents, 1);
    let mut b = s.begin("bulk").unwrap();
    let fresh = b.put_documents(&docs).unwrap();
    b.commit().unwrap();
    assert_eq!(fresh.len(), 601);
    assert_eq!(fresh.iter().filter(|f| **f).count(), 599);
    assert!(!fresh[5] && !fresh[600] && fresh[0] && fresh[599]);
    let c = s.counts().unwrap();
    assert_eq!(
        (c.documents, c.incidents, c.statements),
        (600, 599 * 2, 599)
    );
    let (i, st) = s.records_of(&metas[42].id).unwrap();
    assert_eq!(
        i.iter().map(|r| r.incident.clone()).collect::<Vec<_>>(),
        incs
    );
    assert_eq!(st.len(), 1);
    assert!(s.records_of(&metas[5].id).unwrap().0.is_empty());
}

fn events_and_verdicts_in_bulk(env: &Env) {
    let s = env.open();
    let texts: Vec<String> = (0..300).map(|i| format!("Event source {i}.")).collect();
    let metas: Vec<DocumentMeta> = texts.iter().map(|t| doc(t, Some("2025-04-01"))).collect();
    let incs = vec![incident(
        "2025-04-01",
        "Sumy Oblast",
        Side::Ru,
        &[Target::Energy],
    )];
    let mut b = s.begin("bulk").unwrap();
    let docs: Vec<NewDocument<'_>> = metas
        .iter()
        .zip(&texts)
        .map(|(m, t)| NewDocument {
            meta: m,
            text: t,
            incidents: &incs,
            statements: &[],
        })
        .collect();
    b.put_documents(&docs).unwrap();
    b.put_agreement(&agreement("a1")).unwrap();
    b.put_agreement(&agreement("a2")).unwrap();
    // 300 events of two members each; the first id repeats at the end with one member: it wins.
    let mut events: Vec<EventRow> = (0..300)
        .map(|i| {
            let members = vec![
                RecordKey::new(metas[i].id.clone(), 0),
                RecordKey::new(metas[(i + 1) % 300].id.clone(), 0),
            ];
            event(&format!("ev-{i:03}"), "2025-04-01", "Sumy Oblast", members)
        })
        .collect();
    events.push(event(
        "ev-000",
        "2025-04-02",
        "Odesa Oblast",
        vec![RecordKey::new(metas[7].id.clone(), 0)],
    ));
    b.put_events(&events).unwrap();
    let mut verdicts: Vec<VerdictRow> = Vec::new();
    for i in 0..300 {
        for a in ["a1", "a2"] {
            verdicts.push(verdict(&format!("ev-{i:03}"), a, "not_applicable"));
        }
    }
    verdicts.push(verdict("ev-005", "a2", "violation_alleged"));
    b.put_verdicts(&verdicts).unwrap();
    // A verdict for an event that is not stored names it, and nothing of that call is written.
    let err = b
        .put_verdicts(&[
            verdict("ev-001", "a1", "indeterminate"),
            verdict("ev-999", "a1", "indeterminate"),
        ])
        .unwrap_err();
    assert!(err.to_string().contains("ev-999/a1"), "{err}");
    b.commit().unwrap();
    let c = s.counts().unwrap();
    assert_eq!((c.events, c.verdicts), (300, 600));
    let e0 = s.event("ev-000").unwrap().unwrap();
    assert_eq!(e0.admin1.as_deref(), Some("Odesa Oblast"));
    assert_eq!(e0.members, vec![RecordKey::new(metas[7].id.clone(), 0)]);
    assert_eq!(s.event("ev-123").unwrap().unwrap().members.len(), 2);
    let v = s
        .verdicts(&Query {
            verdict: Some("violation_alleged".into()),
            ..Query::default()
        })
        .unwrap();
    assert_eq!(
        v.items
            .iter()
            .map(|v| (v.event.as_str(), v.agreement.as_str()))
            .collect::<Vec<_>>(),
        vec![("ev-005", "a2")]
    );
    let v = s
        .verdicts(&Query {
            event: Some("ev-001".into()),
            ..Query::default()
        })
        .unwrap();
    assert!(
        v.items.iter().all(|v| v.verdict == "not_applicable"),
        "the failed call wrote nothing"
    );
    let all = all_pages(64, Query::default(), |q| s.events(q));
    assert_eq!(all.len(), 300);
}

/// `verdicts_of_events` answers for any number of events (past one statement's 500 ids) exactly
/// what one `verdicts` listing per event answers, in (event, agreement) order.
fn verdicts_of_many_events(env: &Env) {
    let s = env.open();
    let text = "One source for every event.";
    let key = RecordKey::new(
        put_doc_with_incident(
            &*s,
            text,
            incident("2025-04-01", "Sumy Oblast", Side::Ru, &[Target::Energy]),
        ),
        0,
    );
    let mut b = s.begin("many").unwrap();
    for a in ["a1", "a2", "b3"] {
        b.put_agreement(&agreement(a)).unwrap();
    }
    // 620 events: every sixth (i % 6 == 0) has no verdict, the others one to three.
    let events: Vec<EventRow> = (0..620)
        .map(|i| {
            event(
                &format!("ev-{i:04}"),
                "2025-04-01",
                "Sumy Oblast",
                vec![key.clone()],
            )
        })
        .collect();
    b.put_events(&events).unwrap();
    let mut verdicts = Vec::new();
    for i in 0..620 {
        // Written in reverse agreement order: the answer is ordered anyway.
        for a in ["b3", "a2", "a1"].iter().take(i % 3 + i % 2) {
            let kind = if i % 7 == 0 {
                "violation_alleged"
            } else {
                "not_applicable"
            };
            verdicts.push(verdict(&format!("ev-{i:04}"), a, kind));
        }
    }
    b.put_verdicts(&verdicts).unwrap();
    // Inside the batch the uncommitted verdicts are read.
    let inside = b.verdicts_of_events(&["ev-0001".to_string()]).unwrap();
    assert_eq!(inside.len(), 2, "{inside:?}");
    b.commit().unwrap();

    let per_event = |ids: &[&str]| -> Vec<VerdictRow> {
        let mut sorted: Vec<&str> = ids.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut out = Vec::new();
        for id in sorted {
            let q = Query {
                event: Some(id.to_string()),
                ..Query::default()
            };
            out.extend(all_pages(2, q, |q| s.verdicts(q)));
        }
        out
    };
    let all: Vec<String> = (0..620).rev().map(|i| format!("ev-{i:04}")).collect();
    let cases: Vec<Vec<String>> = vec![
        vec![],
        vec!["ev-0000".into()],
        vec!["ev-0006".into()], // no verdict
        vec![
            "ev-0005".into(),
            "ev-0002".into(),
            "ev-0005".into(),
            "ev-9999".into(),
        ],
        all.clone(),
        [all.clone(), all[..100].to_vec()].concat(),
    ];
    for ids in &cases {
        let want = per_event(&ids.iter().map(String::as_str).collect::<Vec<_>>());
        let got = s.verdicts_of_events(ids).unwrap();
        assert_eq!(got, want, "ids {:?}...", &ids[..ids.len().min(4)]);
    }
    assert_eq!(s.verdicts_of_events(&all).unwrap().len(), verdicts.len());
    // Deleting an event drops its verdicts from the answer.
    let mut b = s.begin("delete").unwrap();
    assert!(b.delete_event("ev-0001").unwrap());
    b.commit().unwrap();
    assert!(
        s.verdicts_of_events(&["ev-0001".to_string()])
            .unwrap()
            .is_empty()
    );
}
