//! The test fixture: a real SQLite store in a temporary directory, filled through the store's
//! API with three hand-written documents (texts written for these tests), their incidents, a
//! statement, the energy moratorium agreement, three events and their verdicts; and tokens.

use std::sync::Arc;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use truce_model::{
    About, Act, Casualties, Count, DatePrecision, DocumentMeta, Evidence, GeoPrecision, Incident,
    NaiveDate, Party, Qualifier, Reporter, Side, Span, Statement, Target, Weapon,
};
use truce_store::{AgreementRow, EventRow, RecordKey, Store, VerdictRow};

pub struct Fixture {
    pub app: axum::Router,
    pub state: truce_server::AppState,
    pub store: Arc<dyn Store>,
    pub doc_ids: Vec<String>,
    pub monitor: String,
    pub analyst: String,
    pub admin: String,
    pub _dir: tempfile::TempDir,
}

impl Fixture {
    /// The same application reading its log from `log`.
    pub fn with_log(&self, log: Arc<dyn truce_server::LogRead>) -> axum::Router {
        let mut st = self.state.clone();
        st.log = log;
        truce_server::app(st)
    }
}

/// A real log of `n` entries in memory (signed checkpoint, tiles, bundles).
pub fn memory_log(n: usize) -> (truce_tlog::MemoryStorage, Vec<u8>) {
    let signer =
        truce_note::Signer::generate("truce.test/log", truce_note::SigType::Ed25519).unwrap();
    let mut log = truce_tlog::Log::open(truce_tlog::MemoryStorage::new(), signer).unwrap();
    let entries: Vec<Vec<u8>> = (0..n).map(|i| format!("entry {i}").into_bytes()).collect();
    log.append_batch(&entries).unwrap();
    let checkpoint = log.checkpoint().to_vec();
    (log.into_storage(), checkpoint)
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn doc(text: &str, published: &str, source: &str) -> DocumentMeta {
    DocumentMeta {
        id: hex(text),
        published: day(published),
        language: "en".into(),
        url: None,
        source: Some(source.into()),
        boilerplate: Vec::new(),
    }
}

fn hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn evidence(text: &str, needle: &str) -> Evidence {
    let start = text.find(needle).expect("needle in text");
    Evidence {
        span: Span::new(start, start + needle.len()),
        text: needle.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn incident(
    text: &str,
    sentence: &str,
    date: &str,
    place: &str,
    admin1: &str,
    country: &str,
    (lat, lon): (f64, f64),
    perpetrator: Side,
    reported_by: Reporter,
    weapons: Vec<Weapon>,
    targets: Vec<Target>,
    killed: Option<Count>,
) -> Incident {
    Incident {
        date: day(date),
        date_precision: DatePrecision::Day,
        place: Some(place.into()),
        admin1: Some(admin1.into()),
        country: Some(country.into()),
        lat: Some(lat),
        lon: Some(lon),
        geo_precision: Some(GeoPrecision::Settlement),
        perpetrator,
        reported_by,
        weapons,
        targets,
        killed: Casualties {
            count: killed,
            vague_low: None,
        },
        injured: Casualties::default(),
        evidence: evidence(text, sentence),
    }
}

const WIRE: &str = "Kyiv, April 13. A Russian ballistic missile strike on central Sumy killed at least 35 people on Sunday morning, regional officials said. The strike hit a street crowded with people on their way to church.";
const BULLETIN: &str = "Ministry bulletin, 25 March 2025. Russian drones struck an electrical substation near Kherson overnight, cutting power to several districts, the ministry said. On 13 March the Kremlin said Russia accepted the ceasefire proposal in principle, with conditions.";
const BLOG: &str = "Live notes, 14-15 April 2025. Officials now put the toll of the Sumy missile strike at 34 dead. Separately, a Ukrainian drone set fire to the oil depot at Tuapse on 14 March, before any moratorium.";

/// A monitor's report used by several tests.
pub fn report() -> Value {
    json!({
        "time": "2025-03-28T06:40:00+02:00",
        "place": "Kharkiv",
        "admin1": "Kharkiv Oblast",
        "lat": 49.9935, "lon": 36.2304,
        "targets": ["energy"],
        "weapons": ["drone"],
        "perpetrator": "RU",
        "killed": {"n": 1},
        "injured": {"n": 3, "q": "at_least"},
        "attachments": ["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
        "narrative": "Two drones hit the thermal power plant's transformer yard at dawn; one worker died."
    })
}

pub async fn fixture(config: truce_server::Config) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let loc = truce_store::Location::Sqlite(dir.path().join("data"));
    let store: Arc<dyn Store> =
        tokio::task::spawn_blocking(move || Arc::from(truce_store::open(&loc).unwrap()))
            .await
            .unwrap();
    let s2 = Arc::clone(&store);
    let (doc_ids, tokens) = tokio::task::spawn_blocking(move || fill(&*s2))
        .await
        .unwrap();
    let mut state = truce_server::AppState::new(Arc::clone(&store), config);
    // This store is filled outside the log, so reports skip the pipeline (which rebuilds events
    // from the log); the demo test below sends reports through it.
    state.reports = Arc::new(truce_server::reports::DirectSink);
    Fixture {
        app: truce_server::app(state.clone()),
        state,
        store,
        doc_ids,
        monitor: tokens[0].clone(),
        analyst: tokens[1].clone(),
        admin: tokens[2].clone(),
        _dir: dir,
    }
}

/// Fills a store through its API; returns the document ids and (monitor, analyst, admin) tokens.
pub fn fill(store: &dyn Store) -> (Vec<String>, Vec<String>) {
    let sumy = (50.9077, 34.7981);
    let wire = doc(WIRE, "2025-04-13", "wire-sumy.txt");
    let bulletin = doc(BULLETIN, "2025-03-25", "bulletin-kherson.txt");
    let blog = doc(BLOG, "2025-04-15", "blog-notes.html");
    let mut b = store.begin("test fixture").unwrap();
    for (m, t) in [(&wire, WIRE), (&bulletin, BULLETIN), (&blog, BLOG)] {
        assert!(b.put_document(m, t).unwrap());
    }
    b.put_records(&wire.id, &[incident(WIRE, "A Russian ballistic missile strike on central Sumy killed at least 35 people on Sunday morning, regional officials said.", "2025-04-13", "Sumy", "Sumy Oblast", "UA", sumy, Side::Ru, Reporter::Media, vec![Weapon::BallisticMissile], vec![Target::Civilian], Some(Count { n: 35, q: Qualifier::AtLeast }))], &[]).unwrap();
    b.put_records(&bulletin.id, &[incident(BULLETIN, "Russian drones struck an electrical substation near Kherson overnight, cutting power to several districts, the ministry said.", "2025-03-25", "Kherson", "Kherson Oblast", "UA", (46.6354, 32.6169), Side::Ru, Reporter::Ua, vec![Weapon::Drone], vec![Target::Energy], None)],
        &[Statement { date: day("2025-03-13"), speaker: "the Kremlin".into(), party: Party::Ru, act: Act::AcceptConditionally, about: About::GeneralCeasefire, target: None, evidence: evidence(BULLETIN, "On 13 March the Kremlin said Russia accepted the ceasefire proposal in principle, with conditions.") }]).unwrap();
    b.put_records(&blog.id, &[
        incident(BLOG, "Officials now put the toll of the Sumy missile strike at 34 dead.", "2025-04-13", "Sumy", "Sumy Oblast", "UA", sumy, Side::Ru, Reporter::Media, vec![Weapon::Missile], vec![Target::Civilian], Some(Count { n: 34, q: Qualifier::Exact })),
        incident(BLOG, "Separately, a Ukrainian drone set fire to the oil depot at Tuapse on 14 March, before any moratorium.", "2025-03-14", "Tuapse", "Krasnodar Krai", "RU", (44.1053, 39.0802), Side::Ua, Reporter::Media, vec![Weapon::Drone], vec![Target::Energy], None),
    ], &[]).unwrap();
    let summary = json!({
        "id": "energy-moratorium-2025", "kind": "partial", "parties": ["RU", "UA"],
        "window": {"start": "2025-03-18T00:00:00+03:00", "end": "2025-04-17T00:00:00+03:00"},
        "protected": ["energy"], "in_force": true
    });
    b.put_agreement(&AgreementRow {
        id: "energy-moratorium-2025".into(),
        title: "30-day moratorium on strikes on energy infrastructure".into(),
        toml: "id = \"energy-moratorium-2025\"\n".into(),
        summary: summary.to_string(),
        updated_at: 0,
    })
    .unwrap();
    let events = [
        (
            "ev-sumy",
            "2025-04-13",
            "Sumy",
            "Sumy Oblast",
            "UA",
            sumy,
            Side::Ru,
            Target::Civilian,
            vec![
                RecordKey::new(wire.id.clone(), 0),
                RecordKey::new(blog.id.clone(), 0),
            ],
            "not_applicable",
            None,
            "hit civilians, not energy infrastructure",
        ),
        (
            "ev-kherson",
            "2025-03-25",
            "Kherson",
            "Kherson Oblast",
            "UA",
            (46.6354, 32.6169),
            Side::Ru,
            Target::Energy,
            vec![RecordKey::new(bulletin.id.clone(), 0)],
            "violation_alleged",
            Some("one_party_claim"),
            "energy target struck by a bound party inside the window",
        ),
        (
            "ev-tuapse",
            "2025-03-14",
            "Tuapse",
            "Krasnodar Krai",
            "RU",
            (44.1053, 39.0802),
            Side::Ua,
            Target::Energy,
            vec![RecordKey::new(blog.id.clone(), 1)],
            "not_applicable",
            None,
            "before the window opened",
        ),
    ];
    for (
        id,
        date,
        place,
        admin1,
        country,
        (lat, lon),
        side,
        target,
        members,
        verdict,
        strength,
        reason,
    ) in events
    {
        b.put_event(&EventRow {
            id: id.into(),
            date: day(date),
            place: Some(place.into()),
            admin1: Some(admin1.into()),
            country: Some(country.into()),
            lat: Some(lat),
            lon: Some(lon),
            perpetrator: side,
            targets: vec![target],
            payload: "{}".into(),
            members,
            updated_at: 0,
        })
        .unwrap();
        b.put_verdict(&VerdictRow {
            event: id.into(),
            agreement: "energy-moratorium-2025".into(),
            verdict: verdict.into(),
            strength: strength.map(str::to_string),
            reason: reason.into(),
            engine: "test-fixture".into(),
            entries: vec![],
            updated_at: 0,
        })
        .unwrap();
    }
    b.commit().unwrap();
    let mut tokens = Vec::new();
    for (role, label) in [
        (truce_store::Role::Monitor, "field monitor"),
        (truce_store::Role::Analyst, "analyst"),
        (truce_store::Role::Admin, "admin"),
    ] {
        let t = truce_server::auth::generate_token().unwrap();
        store
            .put_token(
                "test fixture",
                &truce_server::auth::hash_token(&t),
                role,
                label,
            )
            .unwrap();
        tokens.push(t);
    }
    (vec![wire.id, bulletin.id, blog.id], tokens)
}
