//! The ledger and replay over the real rules (truce-events, truce-verdict, the shipped
//! agreements), with records written by hand: verdicts logged batch by batch replay byte for
//! byte; a tampered verdict is caught at its index; batching does not change the outcome.

use std::path::Path;

use truce_ingest::engine::Rules;
use truce_ingest::{Ledger, replay_with};
use truce_model::{
    Casualties, CodedDocument, Count, DatePrecision, DocumentMeta, Evidence, GeoPrecision,
    Incident, NaiveDate, Qualifier, Reporter, Side, Span, Target, Weapon,
};
use truce_wire::entry::{DocumentEntry, Entry, RecordsEntry};

fn agreements_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/agreements")
}

fn incident(
    day: (i32, u32, u32),
    place: &str,
    admin1: &str,
    target: Target,
    killed: u32,
    by: Reporter,
) -> Incident {
    Incident {
        date: NaiveDate::from_ymd_opt(day.0, day.1, day.2),
        date_precision: DatePrecision::Day,
        place: Some(place.into()),
        admin1: Some(admin1.into()),
        country: Some("UA".into()),
        lat: Some(50.0),
        lon: Some(36.0),
        geo_precision: Some(GeoPrecision::Settlement),
        perpetrator: Side::Ru,
        reported_by: by,
        weapons: vec![Weapon::Drone],
        targets: vec![target],
        killed: Casualties {
            count: Some(Count {
                n: killed,
                q: Qualifier::Exact,
            }),
            vague_low: None,
        },
        injured: Casualties::default(),
        evidence: Evidence {
            span: Span::new(0, 10),
            text: format!("{place} was hit."),
        },
    }
}

/// Documents reporting a handful of strikes in March-April 2025 from several outlets.
fn documents() -> Vec<CodedDocument> {
    let reports = [
        (
            "kyiv-post",
            (2025, 3, 25),
            "Kharkiv",
            "Kharkiv Oblast",
            Target::Energy,
            0,
            Reporter::Ua,
        ),
        (
            "wire",
            (2025, 3, 25),
            "Kharkiv",
            "Kharkiv Oblast",
            Target::Energy,
            0,
            Reporter::Media,
        ),
        (
            "wire",
            (2025, 4, 13),
            "Sumy",
            "Sumy Oblast",
            Target::Civilian,
            35,
            Reporter::Media,
        ),
        (
            "blog",
            (2025, 4, 13),
            "Sumy",
            "Sumy Oblast",
            Target::Civilian,
            34,
            Reporter::Ua,
        ),
        (
            "mod",
            (2025, 3, 14),
            "Kherson",
            "Kherson Oblast",
            Target::Energy,
            0,
            Reporter::Ua,
        ),
        (
            "wire",
            (2025, 4, 20),
            "Odesa",
            "Odesa Oblast",
            Target::Civilian,
            2,
            Reporter::Ua,
        ),
        (
            "late",
            (2025, 4, 14),
            "Sumy",
            "Sumy Oblast",
            Target::Civilian,
            35,
            Reporter::Media,
        ),
    ];
    reports
        .iter()
        .enumerate()
        .map(
            |(i, (outlet, day, place, admin1, target, killed, by))| CodedDocument {
                document: DocumentMeta {
                    id: format!("{i:064x}"),
                    published: NaiveDate::from_ymd_opt(day.0, day.1, day.2),
                    language: "en".into(),
                    url: Some(format!("https://{outlet}.example/{i}")),
                    source: Some(format!("report-{i}.txt")),
                    boilerplate: vec![],
                },
                incidents: vec![incident(*day, place, admin1, *target, *killed, *by)],
                statements: vec![],
                diagnostics: vec![],
            },
        )
        .collect()
}

/// Logs agreements then documents in batches of `batch`, as ingest does; returns the log.
fn log_in_batches(batch: usize) -> (Vec<Vec<u8>>, Ledger<Rules>) {
    let rules = Rules;
    let mut ledger: Ledger<Rules> = Ledger::new(&rules);
    let mut log: Vec<Vec<u8>> = Vec::new();
    let push = |ledger: &mut Ledger<Rules>, log: &mut Vec<Vec<u8>>, e: Entry| {
        ledger.apply(&rules, &e).unwrap();
        log.push(e.to_canonical().unwrap());
    };
    let mut files: Vec<_> = std::fs::read_dir(agreements_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let toml = std::fs::read_to_string(&f).unwrap();
        let a = Ledger::agreement_entry(&rules, &toml, &f.display().to_string()).unwrap();
        push(&mut ledger, &mut log, Entry::Agreement(a));
    }
    for chunk in documents().chunks(batch) {
        for d in chunk {
            push(
                &mut ledger,
                &mut log,
                Entry::Document(DocumentEntry::from_meta(&d.document, 100, "text")),
            );
            push(
                &mut ledger,
                &mut log,
                Entry::Records(RecordsEntry::from_coded(d)),
            );
        }
        for v in ledger.evaluate(&rules).verdicts {
            push(&mut ledger, &mut log, Entry::Verdict(v));
        }
    }
    (log, ledger)
}

fn verdict_lines(log: &[Vec<u8>]) -> Vec<String> {
    log.iter()
        .filter_map(|b| match Entry::from_bytes(b).unwrap() {
            Entry::Verdict(v) => Some(format!(
                "{} {} {} {:?}",
                v.event, v.agreement, v.verdict, v.strength
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn logged_verdicts_replay_byte_for_byte() {
    for batch in [1, 2, 7] {
        let (log, _) = log_in_batches(batch);
        let report = replay_with(&Rules, log.clone()).unwrap();
        assert!(report.ok(), "batch {batch}: {:#?}", report.mismatches);
        assert!(report.verdicts_matched > 0);
        assert_eq!(report.entries, log.len() as u64);
    }
}

#[test]
fn the_logged_verdicts_follow_the_agreements() {
    let (log, ledger) = log_in_batches(7);
    let lines = verdict_lines(&log);
    // Four events (Sumy's two days merge), judged against five agreements.
    assert_eq!(ledger.events(), 4);
    assert_eq!(lines.len(), 20, "{lines:#?}");
    let mut violations: Vec<&str> = lines
        .iter()
        .filter(|l| l.contains("violation_alleged"))
        .map(|l| &l[33..])
        .collect();
    violations.sort_unstable();
    // Kharkiv's substation (25 Mar, two outlets): the energy moratorium, corroborated. Odesa on
    // 20 April: the Easter truce, one party's claim. Sumy (civilians, 13 April) and Kherson
    // (14 March, before the moratorium) violate nothing.
    assert_eq!(
        violations,
        [
            "easter_truce_2025 violation_alleged Some(\"one_party_claim\")",
            "energy_moratorium_2025 violation_alleged Some(\"corroborated\")",
        ],
        "{lines:#?}"
    );
}

#[test]
fn a_tampered_verdict_is_caught_at_its_index() {
    let (mut log, _) = log_in_batches(2);
    let k = log
        .iter()
        .position(|b| matches!(Entry::from_bytes(b).unwrap(), Entry::Verdict(v) if v.verdict == "violation_alleged"))
        .unwrap();
    let mut e = match Entry::from_bytes(&log[k]).unwrap() {
        Entry::Verdict(v) => v,
        _ => unreachable!(),
    };
    e.verdict = "not_applicable".into();
    log[k] = Entry::Verdict(e).to_canonical().unwrap();
    let report = replay_with(&Rules, log).unwrap();
    assert_eq!(report.mismatches.len(), 1, "{:#?}", report.mismatches);
    assert_eq!(report.mismatches[0].index, k as u64);
}

#[test]
fn a_dropped_verdict_is_reported_missing() {
    let (mut log, _) = log_in_batches(7);
    let k = log
        .iter()
        .rposition(|b| matches!(Entry::from_bytes(b).unwrap(), Entry::Verdict(_)))
        .unwrap();
    log.remove(k);
    let report = replay_with(&Rules, log).unwrap();
    assert!(!report.ok());
    assert!(
        report.mismatches.iter().any(|m| m.logged.is_empty()),
        "{:#?}",
        report.mismatches
    );
}

#[test]
fn batching_does_not_change_events_or_final_verdicts() {
    let final_state = |batch: usize| {
        let (log, ledger) = log_in_batches(batch);
        // The last verdict per (event, agreement), for events that still exist.
        let mut last = std::collections::BTreeMap::new();
        for b in &log {
            if let Entry::Verdict(v) = Entry::from_bytes(b).unwrap() {
                last.insert(
                    (v.event.clone(), v.agreement.clone()),
                    (v.verdict, v.strength),
                );
            }
        }
        (ledger.events(), last)
    };
    let (n1, v1) = final_state(1);
    let (n7, v7) = final_state(7);
    assert_eq!(n1, n7);
    // Every verdict of the one-batch run appears, identical, as the latest in the batched run.
    for (k, v) in &v7 {
        assert_eq!(v1.get(k), Some(v), "{k:?}");
    }
}

#[test]
fn event_ids_stay_as_reports_join_and_unchanged_verdicts_are_not_logged_again() {
    // One document per batch: Kharkiv's second report, Sumy's second and third join events
    // already judged.
    let (log, ledger) = log_in_batches(1);
    let mut ids = std::collections::BTreeSet::new();
    let mut last: std::collections::HashMap<(String, String), String> = Default::default();
    for b in &log {
        if let Entry::Verdict(v) = Entry::from_bytes(b).unwrap() {
            ids.insert(v.event.clone());
            let content = format!("{} {:?} {}", v.verdict, v.strength, v.reason);
            let before = last.insert((v.event.clone(), v.agreement.clone()), content.clone());
            assert_ne!(
                before.as_deref(),
                Some(content.as_str()),
                "verdict of {} on {} logged again unchanged",
                v.event,
                v.agreement
            );
        }
    }
    // Four events, and no verdict ever named an id that a joining report replaced.
    assert_eq!(ledger.events(), 4);
    assert_eq!(ids.len(), 4, "{ids:#?}");
    // Kharkiv's energy-moratorium verdict went from one party's claim to corroborated.
    let kharkiv: Vec<String> = log
        .iter()
        .filter_map(|b| match Entry::from_bytes(b).unwrap() {
            Entry::Verdict(v)
                if v.agreement == "energy_moratorium_2025" && v.verdict == "violation_alleged" =>
            {
                Some(format!("{} {:?}", v.event, v.strength))
            }
            _ => None,
        })
        .collect();
    assert_eq!(kharkiv.len(), 2, "{kharkiv:#?}");
    assert_eq!(kharkiv[0][..32], kharkiv[1][..32]);
    assert!(
        kharkiv[0].ends_with("Some(\"one_party_claim\")"),
        "{kharkiv:#?}"
    );
    assert!(
        kharkiv[1].ends_with("Some(\"corroborated\")"),
        "{kharkiv:#?}"
    );
}

/// The outlet of a document as truce-events sees it: `(outlet, url, source, jsonl)` -> voice.
fn check_outlet(
    name: &str,
    outlet: Option<&str>,
    url: Option<&str>,
    source: &str,
    jsonl: bool,
    want: &str,
) {
    let d = truce_ingest::DocInfo {
        id: "d".into(),
        index: 0,
        published: None,
        source: Some(source.into()),
        url: url.map(str::to_string),
        outlet: outlet.map(str::to_string),
        jsonl,
    };
    assert_eq!(truce_ingest::engine::source(&d).outlet, want, "{name}");
}

#[test]
fn a_documents_outlet_is_the_one_named_then_the_url_host_then_the_file() {
    check_outlet(
        "named",
        Some("Eastern Wire Service"),
        Some("https://www.x.example/a"),
        "a.txt",
        false,
        "Eastern Wire Service",
    );
    check_outlet(
        "blank name",
        Some("  "),
        Some("https://www.x.example/a"),
        "a.txt",
        false,
        "x.example",
    );
    check_outlet(
        "url host",
        None,
        Some("https://www.x.example/a"),
        "a.txt",
        false,
        "x.example",
    );
    check_outlet(
        "file",
        None,
        None,
        "corpus/dev/001.txt",
        false,
        "corpus/dev/001.txt",
    );
    check_outlet(
        "jsonl file, not line",
        None,
        None,
        "feed.jsonl:17",
        true,
        "feed.jsonl",
    );
    check_outlet(
        "a file named with a colon",
        None,
        None,
        "notes:2",
        false,
        "notes:2",
    );
}

/// The shipped rules with a merge window of `.0` documents.
struct Windowed(u64);

impl truce_ingest::Engine for Windowed {
    type Agreement = <Rules as truce_ingest::Engine>::Agreement;
    type Event = <Rules as truce_ingest::Engine>::Event;
    type Merger = <Rules as truce_ingest::Engine>::Merger;
    fn version(&self) -> String {
        Rules.version()
    }
    fn parse_agreement(
        &self,
        toml: &str,
        origin: &str,
    ) -> Result<(String, Self::Agreement, serde_json::Value), String> {
        Rules.parse_agreement(toml, origin)
    }
    fn merge_window(&self) -> u64 {
        self.0
    }
    fn merger(&self) -> Self::Merger {
        Rules.merger()
    }
    fn add_incident(
        &self,
        m: &mut Self::Merger,
        i: &truce_ingest::SourcedIncident,
        tick: u64,
    ) -> String {
        Rules.add_incident(m, i, tick)
    }
    fn event(&self, m: &Self::Merger, id: &str) -> Option<Self::Event> {
        Rules.event(m, id)
    }
    fn close(&self, m: &mut Self::Merger, tick: u64) -> Vec<String> {
        Rules.close(m, tick)
    }
    fn events_dated(&self, m: &Self::Merger, from: NaiveDate, to: NaiveDate) -> Vec<String> {
        Rules.events_dated(m, from, to)
    }
    fn open_events(&self, m: &Self::Merger) -> Vec<String> {
        Rules.open_events(m)
    }
    fn judge(
        &self,
        events: &[&Self::Event],
        agreements: &[&Self::Agreement],
        statements: &[truce_ingest::SourcedStatement],
    ) -> Vec<Vec<truce_ingest::Judgement>> {
        Rules.judge(events, agreements, statements)
    }
    fn statement_reach(
        &self,
        s: &truce_model::Statement,
        published: Option<NaiveDate>,
    ) -> Option<Option<(NaiveDate, NaiveDate)>> {
        Rules.statement_reach(s, published)
    }
    fn record(&self, id: &str, e: &Self::Event) -> truce_ingest::EventRecord {
        Rules.record(id, e)
    }
}

#[test]
fn events_close_after_the_merge_window_and_replay_the_same() {
    // A window of two documents: Sumy's late report (the 7th document) comes four documents
    // after the one that started Sumy's event, so it starts an event of its own.
    for (window, events) in [(2, 5), (1000, 4)] {
        let engine = Windowed(window);
        let mut ledger: Ledger<Windowed> = Ledger::new(&engine);
        let mut log: Vec<Vec<u8>> = Vec::new();
        let mut push = |ledger: &mut Ledger<Windowed>, e: Entry| {
            ledger.apply(&engine, &e).unwrap();
            log.push(e.to_canonical().unwrap());
        };
        let toml =
            std::fs::read_to_string(agreements_dir().join("energy_moratorium_2025.toml")).unwrap();
        push(
            &mut ledger,
            Entry::Agreement(Ledger::agreement_entry(&engine, &toml, "energy").unwrap()),
        );
        let mut judged: Vec<String> = Vec::new();
        for d in documents() {
            push(
                &mut ledger,
                Entry::Document(DocumentEntry::from_meta(&d.document, 100, "text")),
            );
            push(&mut ledger, Entry::Records(RecordsEntry::from_coded(&d)));
            for v in ledger.evaluate(&engine).verdicts {
                judged.push(v.event.clone());
                push(&mut ledger, Entry::Verdict(v));
            }
        }
        assert_eq!(ledger.events(), events, "window {window}");
        assert!(ledger.open_events() <= events, "window {window}");
        // The first event judged is closed in the small window only; an id the log never
        // gave is never open.
        assert_eq!(ledger.is_open(&judged[0]), window > 2, "window {window}");
        assert!(ledger.is_open(&judged[judged.len() - 1]), "window {window}");
        assert!(!ledger.is_open("no-such-event"));
        let report = replay_with(&engine, log).unwrap();
        assert!(report.ok(), "window {window}: {:#?}", report.mismatches);
        // One verdict per event, and Kharkiv's again when its second report corroborates it.
        assert_eq!(
            report.verdicts_matched,
            events as u64 + 1,
            "window {window}"
        );
    }
}
