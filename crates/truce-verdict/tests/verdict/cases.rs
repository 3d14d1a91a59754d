//! Data-driven: tests/data/events_2025.toml, hand-written events with expected verdicts.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use truce_events::{Event, Source, SourcedIncident, merge};
use truce_model::{
    About, Act, Casualties, DatePrecision, Evidence, Incident, Party, Reporter, Side, Span,
    Statement, Target, Weapon,
};
use truce_verdict::{Judgement, Review, ReviewAction, SourcedStatement, judge};

use crate::common::{date, examples_dir, load, manifest};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Data {
    case: Vec<Case>,
    statement: Vec<Stmt>,
    review: Vec<Rev>,
    commitment: Vec<Commit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    date: Option<String>,
    dates: Option<Vec<String>>,
    precision: Option<String>,
    place: Option<String>,
    admin1: Option<String>,
    country: Option<String>,
    perpetrator: String,
    targets: Vec<String>,
    reports: Vec<(String, String)>,
    strength: Option<String>,
    expect: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Stmt {
    document: Option<String>,
    outlet: String,
    date: String,
    speaker: String,
    party: String,
    act: String,
    about: Option<String>,
    target: Option<String>,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rev {
    case: String,
    action: String,
    author: String,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Commit {
    party: String,
    about: String,
    agreement: Option<String>,
    status: String,
    sources: usize,
    broken_by: Vec<String>,
    contested_by: Vec<String>,
}

fn incidents(c: &Case) -> Vec<SourcedIncident> {
    c.reports
        .iter()
        .enumerate()
        .map(|(k, (outlet, by))| {
            let d = c
                .dates
                .as_ref()
                .map(|ds| ds[k].clone())
                .or_else(|| c.date.clone());
            let precision = match (&d, c.precision.as_deref()) {
                (None, _) => DatePrecision::Unknown,
                (Some(_), Some(p)) => p.parse().unwrap(),
                (Some(_), None) => DatePrecision::Day,
            };
            SourcedIncident {
                incident: Incident {
                    date: d.as_deref().map(date),
                    date_precision: precision,
                    place: c.place.clone(),
                    admin1: c.admin1.clone(),
                    country: c.country.clone(),
                    lat: None,
                    lon: None,
                    geo_precision: None,
                    perpetrator: c.perpetrator.parse::<Side>().unwrap(),
                    reported_by: by.parse::<Reporter>().unwrap(),
                    weapons: vec![Weapon::Unknown],
                    targets: c
                        .targets
                        .iter()
                        .map(|t| t.parse::<Target>().unwrap())
                        .collect(),
                    killed: Casualties::default(),
                    injured: Casualties::default(),
                    evidence: Evidence {
                        span: Span::new(0, c.name.len()),
                        text: c.name.clone(),
                    },
                },
                source: Source {
                    document_id: format!("{}/{k}", c.name),
                    outlet: outlet.clone(),
                    published: None,
                },
                index: 0,
            }
        })
        .collect()
}

fn statements(data: &Data) -> Vec<SourcedStatement> {
    data.statement
        .iter()
        .enumerate()
        .map(|(k, s)| SourcedStatement {
            statement: Statement {
                date: Some(date(&s.date)),
                speaker: s.speaker.clone(),
                party: s.party.parse::<Party>().unwrap(),
                act: s.act.parse::<Act>().unwrap(),
                about: s
                    .about
                    .as_deref()
                    .unwrap_or("other")
                    .parse::<About>()
                    .unwrap(),
                target: s.target.as_deref().map(|t| t.parse().unwrap()),
                evidence: Evidence {
                    span: Span::new(0, s.text.len()),
                    text: s.text.clone(),
                },
            },
            source: Source {
                document_id: s
                    .document
                    .clone()
                    .unwrap_or_else(|| format!("statement/{k}")),
                outlet: s.outlet.clone(),
                published: None,
            },
        })
        .collect()
}

/// The event holding case `name`'s reports.
fn event_of<'a>(events: &'a [Event], name: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e.has_document(&format!("{name}/0")))
        .unwrap_or_else(|| panic!("{name}: no event"))
}

fn load_data() -> Data {
    let text = std::fs::read_to_string(manifest().join("tests/data/events_2025.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

/// Checks one case's event and verdicts against its expectations.
fn check(case: &Case, events: &[Event], j: &Judgement, set: &truce_agreements::AgreementSet) {
    let name = &case.name;
    let e = event_of(events, name);
    // Its reports merged into one event, and nothing else did.
    let docs: BTreeSet<String> = e.sources.iter().map(|s| s.document_id.clone()).collect();
    let want: BTreeSet<String> = (0..case.reports.len())
        .map(|k| format!("{name}/{k}"))
        .collect();
    assert_eq!(docs, want, "{name}: event members");

    for v in j.verdicts_of(e.id) {
        let a = v.agreement(set).unwrap();
        let got = format!("{} {}", v.verdict.as_str(), v.rule());
        match case.expect.get(&a.id) {
            Some(want) => assert_eq!(&got, want, "{name} vs {}: {}", a.id, v.reason.explain(a, e)),
            None => assert_eq!(
                v.verdict.as_str(),
                "not_applicable",
                "{name} vs {} (unlisted): {got}: {}",
                a.id,
                v.reason.explain(a, e)
            ),
        }
        if let Some(s) = &case.strength {
            if v.verdict.as_str() != "not_applicable" {
                assert_eq!(
                    v.strength.map(|s| s.as_str()),
                    Some(s.as_str()),
                    "{name} vs {}",
                    a.id
                );
            } else {
                assert_eq!(v.strength, None);
            }
        }
    }
    for id in case.expect.keys() {
        assert!(set.get(id).is_some(), "{name}: unknown agreement {id}");
    }
}

#[test]
fn hand_written_events_around_the_2025_windows() {
    let set = load(&[examples_dir(), manifest().join("tests/data/agreements")]);
    let data = load_data();
    assert!(data.case.len() >= 30, "{} cases", data.case.len());
    let incs: Vec<SourcedIncident> = data.case.iter().flat_map(incidents).collect();
    let events = merge(&incs);
    assert_eq!(events.len(), data.case.len(), "one event per case");
    let stmts = statements(&data);
    let reviews: Vec<Review> = data
        .review
        .iter()
        .map(|r| Review {
            event_id: event_of(&events, &r.case).id,
            action: ReviewAction::parse(&r.action).unwrap(),
            author: r.author.clone(),
            note: r.note.clone(),
        })
        .collect();
    let j = judge(&set, &events, &stmts, &reviews);
    for case in &data.case {
        check(case, &events, &j, &set);
    }

    // Commitments.
    let name_of = |id| {
        data.case
            .iter()
            .find(|c| event_of(&events, &c.name).id == id)
            .map(|c| c.name.clone())
            .unwrap()
    };
    assert_eq!(j.commitments.len(), data.commitment.len());
    for want in &data.commitment {
        let c = j
            .commitments
            .iter()
            .find(|c| c.party.as_str() == want.party && c.about.as_str() == want.about)
            .unwrap_or_else(|| panic!("no commitment {} {}", want.party, want.about));
        let label = format!("commitment {} {}", want.party, want.about);
        assert_eq!(c.agreement, want.agreement, "{label}");
        assert_eq!(c.status.as_str(), want.status, "{label}");
        assert_eq!(c.sources.len(), want.sources, "{label}");
        let broken: BTreeSet<String> = c.broken_by.iter().map(|&id| name_of(id)).collect();
        let contested: BTreeSet<String> = c.contested_by.iter().map(|&id| name_of(id)).collect();
        assert_eq!(
            broken,
            want.broken_by.iter().cloned().collect(),
            "{label} broken_by"
        );
        assert_eq!(
            contested,
            want.contested_by.iter().cloned().collect(),
            "{label} contested_by"
        );
    }

    // Compliance counts add up to every (event, agreement) pair.
    let total: u64 = j
        .compliance
        .iter()
        .map(|c| c.counts.not_applicable + c.counts.indeterminate + c.counts.violation_alleged)
        .sum();
    assert_eq!(total as usize, events.len() * set.len());
    let em_ru = j
        .compliance
        .iter()
        .find(|c| c.agreement == "energy_moratorium_2025" && c.party == Side::Ru)
        .unwrap();
    // Druzhkivka, Kharkiv x2, Kherson (verified), Zaporizhzhia (disputed), Odesa (17 Apr).
    assert_eq!(em_ru.counts.violation_alleged, 6);
    assert_eq!(em_ru.counts.analyst_reviewed, 1);
    assert_eq!(em_ru.counts.contested, 1);

    // Determinism: reversed inputs give the same judgement.
    let mut rev_events = events.clone();
    rev_events.reverse();
    let mut rev_stmts = stmts.clone();
    rev_stmts.reverse();
    let mut rev_reviews = reviews.clone();
    rev_reviews.reverse();
    assert_eq!(judge(&set, &rev_events, &rev_stmts, &rev_reviews), j);
    let _ = Target::Energy;
}
