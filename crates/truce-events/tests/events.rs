//! Integration tests of truce-events: merging on the seeds' gold records and on hand-written
//! cases (one `check` helper: incidents in, expected groups of keys out), casualty estimates,
//! voices, and order independence.

use std::path::Path;

use proptest::prelude::*;
use truce_events::{
    Estimate, EventId, Merger, Source, SourcedIncident, Voice, distance_km, merge, outlet_of,
};
use truce_model::{
    Casualties, Count, DatePrecision, DocumentMeta, Evidence, GeoPrecision, Incident, NaiveDate,
    Party, Qualifier, Reporter, Side, Span, Target, Weapon,
};

// ---------------------------------------------------------------- builders

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A compact incident: `doc` names both document and outlet unless `outlet` is set.
#[derive(Clone)]
struct I {
    doc: &'static str,
    outlet: &'static str,
    index: u32,
    date: Option<&'static str>,
    place: Option<&'static str>,
    admin1: Option<&'static str>,
    country: &'static str,
    at: Option<(f64, f64)>,
    perp: Side,
    by: Reporter,
    targets: &'static [Target],
    killed: Casualties,
}

fn i(doc: &'static str, date: &'static str, place: &'static str) -> I {
    I {
        doc,
        outlet: doc,
        index: 0,
        date: Some(date),
        place: Some(place),
        admin1: None,
        country: "UA",
        at: None,
        perp: Side::Ru,
        by: Reporter::Media,
        targets: &[Target::Energy],
        killed: Casualties::default(),
    }
}

impl I {
    fn build(&self) -> SourcedIncident {
        SourcedIncident {
            incident: Incident {
                date: self.date.map(date),
                date_precision: if self.date.is_some() {
                    DatePrecision::Day
                } else {
                    DatePrecision::Unknown
                },
                place: self.place.map(str::to_string),
                admin1: self.admin1.map(str::to_string),
                country: Some(self.country.to_string()),
                lat: self.at.map(|p| p.0),
                lon: self.at.map(|p| p.1),
                geo_precision: self.at.map(|_| GeoPrecision::Settlement),
                perpetrator: self.perp,
                reported_by: self.by,
                weapons: vec![Weapon::Drone],
                targets: self.targets.to_vec(),
                killed: self.killed,
                injured: Casualties::default(),
                evidence: Evidence {
                    span: Span::new(0, 4),
                    text: format!("{} report", self.doc),
                },
            },
            source: Source {
                document_id: self.doc.to_string(),
                outlet: self.outlet.to_string(),
                published: None,
            },
            index: self.index,
        }
    }
}

fn count(n: u32, q: Qualifier) -> Casualties {
    Casualties {
        count: Some(Count { n, q }),
        vague_low: None,
    }
}

/// Merges `incidents` and compares the groups of keys (sorted) with `expected`.
fn check(name: &str, incidents: &[I], expected: &[&[&str]]) {
    let built: Vec<SourcedIncident> = incidents.iter().map(I::build).collect();
    let events = merge(&built);
    let mut got: Vec<Vec<String>> = events.iter().map(|e| e.member_keys()).collect();
    got.sort();
    let mut want: Vec<Vec<String>> = expected
        .iter()
        .map(|g| {
            let mut v: Vec<String> = g.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        })
        .collect();
    want.sort();
    assert_eq!(got, want, "{name}");
    // Reversed input gives the same events.
    let mut rev = built.clone();
    rev.reverse();
    assert_eq!(merge(&rev), events, "{name}: order");
}

// ---------------------------------------------------------------- merge rules

#[test]
fn merge_rules() {
    let kyiv = (50.4501, 30.5234);
    let brovary = (50.5110, 30.7909); // ~20 km from Kyiv
    let bila = (49.7968, 30.1311); // ~80 km from Kyiv
    check(
        "same place, same day, two outlets",
        &[i("a", "2025-03-20", "Kyiv"), i("b", "2025-03-20", "kyiv")],
        &[&["a:0", "b:0"]],
    );
    check(
        "one day apart",
        &[i("a", "2025-03-20", "Kyiv"), i("b", "2025-03-21", "Kyiv")],
        &[&["a:0", "b:0"]],
    );
    check(
        "two days apart",
        &[i("a", "2025-03-20", "Kyiv"), i("b", "2025-03-22", "Kyiv")],
        &[&["a:0"], &["b:0"]],
    );
    check(
        "within 30 km",
        &[
            I {
                at: Some(kyiv),
                ..i("a", "2025-03-20", "Kyiv")
            },
            I {
                at: Some(brovary),
                ..i("b", "2025-03-20", "Brovary")
            },
        ],
        &[&["a:0", "b:0"]],
    );
    check(
        "beyond 30 km",
        &[
            I {
                at: Some(kyiv),
                ..i("a", "2025-03-20", "Kyiv")
            },
            I {
                at: Some(bila),
                ..i("b", "2025-03-20", "Bila Tserkva")
            },
        ],
        &[&["a:0"], &["b:0"]],
    );
    check(
        "different names, no coordinates",
        &[
            i("a", "2025-03-20", "Kyiv"),
            i("b", "2025-03-20", "Brovary"),
        ],
        &[&["a:0"], &["b:0"]],
    );
    check(
        "same name, different countries",
        &[
            i("a", "2025-03-20", "Pokrovsk"),
            I {
                country: "RU",
                ..i("b", "2025-03-20", "Pokrovsk")
            },
        ],
        &[&["a:0"], &["b:0"]],
    );
    check(
        "known and unknown perpetrator",
        &[
            i("a", "2025-03-20", "Kyiv"),
            I {
                perp: Side::Unknown,
                ..i("b", "2025-03-20", "Kyiv")
            },
        ],
        &[&["a:0", "b:0"]],
    );
    check(
        "opposite perpetrators",
        &[
            i("a", "2025-03-20", "Kyiv"),
            I {
                perp: Side::Ua,
                ..i("b", "2025-03-20", "Kyiv")
            },
        ],
        &[&["a:0"], &["b:0"]],
    );
    check(
        "disjoint targets",
        &[
            i("a", "2025-03-20", "Kyiv"),
            I {
                targets: &[Target::Civilian],
                ..i("b", "2025-03-20", "Kyiv")
            },
        ],
        &[&["a:0"], &["b:0"]],
    );
    check(
        "overlapping and unknown targets",
        &[
            i("a", "2025-03-20", "Kyiv"),
            I {
                targets: &[Target::Civilian, Target::Energy],
                ..i("b", "2025-03-20", "Kyiv")
            },
            I {
                targets: &[Target::Unknown],
                ..i("c", "2025-03-20", "Kyiv")
            },
        ],
        &[&["a:0", "b:0", "c:0"]],
    );
    check(
        "same document never merges with itself",
        &[
            i("a", "2025-03-20", "Kyiv"),
            I {
                index: 1,
                ..i("a", "2025-03-20", "Kyiv")
            },
        ],
        &[&["a:0"], &["a:1"]],
    );
    check(
        "unknown dates stay apart",
        &[
            I {
                date: None,
                ..i("a", "2025-03-20", "Kyiv")
            },
            I {
                date: None,
                ..i("b", "2025-03-20", "Kyiv")
            },
        ],
        &[&["a:0"], &["b:0"]],
    );
    check(
        "no chaining: every member must be compatible",
        &[
            I {
                at: Some((50.0, 30.0)),
                ..i("a", "2025-03-20", "P1")
            },
            I {
                at: Some((50.0, 30.35)),
                ..i("b", "2025-03-20", "P2")
            },
            I {
                at: Some((50.0, 30.70)),
                ..i("c", "2025-03-20", "P3")
            },
        ],
        &[&["a:0", "b:0"], &["c:0"]],
    );
    check(
        "nationwide tallies of one night",
        &[
            I {
                place: None,
                ..i("a", "2025-03-20", "")
            },
            I {
                place: None,
                ..i("b", "2025-03-20", "")
            },
            I {
                place: None,
                admin1: Some("Sumy Oblast"),
                ..i("c", "2025-03-20", "")
            },
        ],
        &[&["a:0", "b:0"], &["c:0"]],
    );
    check(
        "duplicate keys kept once",
        &[i("a", "2025-03-20", "Kyiv"), i("a", "2025-03-20", "Kyiv")],
        &[&["a:0"]],
    );
}

#[test]
fn distances() {
    let d = distance_km((50.4501, 30.5234), (50.5110, 30.7909));
    assert!((19.0..21.0).contains(&d), "{d}");
}

// ---------------------------------------------------------------- voices and estimates

#[test]
fn a_partys_claim_repeated_by_five_outlets_is_one_voice() {
    let incs: Vec<SourcedIncident> = ["o1", "o2", "o3", "o4", "o5"]
        .iter()
        .map(|o| {
            I {
                by: Reporter::Ua,
                ..i(o, "2025-03-20", "Kyiv")
            }
            .build()
        })
        .collect();
    let ev = merge(&incs);
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].sources.len(), 5);
    assert_eq!(ev[0].voices, [Voice::Party(Party::Ua)]);
    assert_eq!(ev[0].independent_sources(), 1);

    // Journalists at two outlets are two voices; a party and an outlet are two voices.
    let mut more = incs.clone();
    more.push(
        I {
            by: Reporter::Media,
            ..i("o6", "2025-03-20", "Kyiv")
        }
        .build(),
    );
    let ev = merge(&more);
    assert_eq!(ev[0].independent_sources(), 2);
}

#[test]
fn casualty_estimates_follow_ucdp() {
    let case = |reports: &[(&'static str, Reporter, Casualties)], want: Estimate| {
        let incs: Vec<SourcedIncident> = reports
            .iter()
            .map(|(doc, by, k)| {
                I {
                    by: *by,
                    killed: *k,
                    ..i(doc, "2025-04-13", "Sumy")
                }
                .build()
            })
            .collect();
        let ev = merge(&incs);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].killed, want, "{reports:?}");
    };
    let vague = |n| Casualties {
        count: None,
        vague_low: Some(n),
    };
    use Qualifier::*;
    use Reporter::*;
    case(
        &[("a", Media, count(35, AtLeast))],
        Estimate {
            low: Some(35),
            best: Some(35),
            high: Some(35),
        },
    );
    // Vague words count toward the low bound only.
    case(
        &[("a", Media, vague(12)), ("b", Media, count(35, Exact))],
        Estimate {
            low: Some(12),
            best: Some(35),
            high: Some(35),
        },
    );
    case(
        &[("a", Media, vague(12))],
        Estimate {
            low: Some(12),
            best: None,
            high: None,
        },
    );
    // Median of the voices' figures; one party's repeated figure counts once.
    case(
        &[
            ("a", Ua, count(34, Exact)),
            ("b", Ua, count(34, Exact)),
            ("c", Ua, count(34, Exact)),
            ("d", Media, count(32, Approx)),
            ("e", Ru, count(0, Exact)),
        ],
        Estimate {
            low: Some(0),
            best: Some(32),
            high: Some(34),
        },
    );
    // A voice's updated figure (its highest) replaces its earlier one.
    case(
        &[("a", Ua, count(20, Exact)), ("b", Ua, count(34, Exact))],
        Estimate {
            low: Some(34),
            best: Some(34),
            high: Some(34),
        },
    );
    // "up to" bounds only the high estimate.
    case(
        &[("a", Media, count(10, UpTo)), ("b", Media, count(4, Exact))],
        Estimate {
            low: Some(4),
            best: Some(4),
            high: Some(10),
        },
    );
    case(&[("a", Media, Casualties::default())], Estimate::default());
}

#[test]
fn outlets_come_from_url_hosts_or_sources() {
    let meta = |url: Option<&str>, source: Option<&str>| DocumentMeta {
        url: url.map(str::to_string),
        source: source.map(str::to_string),
        ..DocumentMeta::default()
    };
    assert_eq!(
        outlet_of(&meta(Some("https://www.Reuters.com/world/x?y"), None)),
        "reuters.com"
    );
    assert_eq!(
        outlet_of(&meta(Some("http://user@kyivindependent.com:443/a"), None)),
        "kyivindependent.com"
    );
    assert_eq!(
        outlet_of(&meta(None, Some("ministry bulletin"))),
        "ministry bulletin"
    );
    assert_eq!(outlet_of(&meta(None, None)), "unknown");
}

#[test]
fn event_ids_are_hashes_of_the_first_members_key() {
    let a = EventId::of_keys(&["b:0", "a:1"]);
    assert_eq!(a, EventId::of_keys(&["a:1", "b:0"]));
    assert_ne!(a, EventId::of_keys(&["a:1"]));
    assert_eq!(EventId::of_first_member("a:1"), EventId::of_keys(&["a:1"]));
    assert_eq!(EventId::parse(&a.to_string()), Some(a));
    // In the canonical order, `a` comes first.
    let ev = merge(&[
        i("b", "2025-03-20", "Kyiv").build(),
        i("a", "2025-03-20", "Kyiv").build(),
    ]);
    assert_eq!(ev[0].id, EventId::of_first_member("a:0"));
}

/// Feeds incidents one at a time (as ingest does, in log order) and checks after each which
/// event it went to: `expected[k]` is the index of the incident that started the event the k-th
/// incident joined (itself when it starts one). Ids never change as members join.
fn check_incremental(name: &str, incidents: &[I], expected: &[usize]) {
    let mut m = Merger::new();
    let mut ids = Vec::new();
    for (k, inc) in incidents.iter().enumerate() {
        let built = inc.build();
        let (id, started) = m.add(built.clone(), k as u64);
        assert_eq!(
            started,
            expected[k] == k,
            "{name}: incident {k} started an event?"
        );
        assert_eq!(
            id,
            EventId::of_first_member(&incidents[expected[k]].build().key()),
            "{name}: incident {k}"
        );
        ids.push(id);
        let ev = m.event(&id).unwrap();
        assert_eq!(ev.id, id, "{name}");
        assert!(ev.sources.iter().any(|s| s.key() == built.key()), "{name}");
    }
    assert_eq!(
        m.len(),
        expected
            .iter()
            .enumerate()
            .filter(|(k, e)| *k == **e)
            .count(),
        "{name}"
    );
}

#[test]
fn incremental_merging_keeps_ids_and_follows_log_order() {
    check_incremental(
        "a later report joins and the id stays",
        &[
            i("b", "2025-03-20", "Kyiv"),
            i("a", "2025-03-21", "Kyiv"),
            i("c", "2025-03-20", "Kyiv"),
        ],
        &[0, 0, 0],
    );
    check_incremental(
        "complete linkage: 19 and 21 are two days apart",
        &[
            i("a", "2025-03-19", "Kyiv"),
            i("b", "2025-03-21", "Kyiv"),
            i("c", "2025-03-20", "Kyiv"),
        ],
        &[0, 1, 0],
    );
    check_incremental(
        "other places and undated reports start their own",
        &[
            i("a", "2025-03-20", "Kyiv"),
            i("b", "2025-03-20", "Odesa"),
            I {
                date: None,
                ..i("c", "2025-03-20", "Kyiv")
            },
            i("d", "2025-03-20", "Odesa"),
        ],
        &[0, 1, 2, 1],
    );
}

#[test]
fn evicted_events_take_no_more_members() {
    let mut m = Merger::new();
    let (first, _) = m.add(i("a", "2025-03-20", "Kyiv").build(), 1);
    let (other, _) = m.add(i("b", "2025-05-01", "Odesa").build(), 5);
    assert_eq!(m.evict(3), vec![first]);
    assert_eq!(m.len(), 1);
    assert!(m.event(&first).is_none());
    let (id, started) = m.add(i("c", "2025-03-20", "Kyiv").build(), 6);
    assert!(started);
    assert_eq!(id, EventId::of_first_member("c:0"));
    let (joined, started) = m.add(i("d", "2025-05-01", "Odesa").build(), 7);
    assert_eq!((joined, started), (other, false));
    assert_eq!(m.created(), 3);
    // Joining does not keep an event open longer: it closes by when it started.
    assert_eq!(m.evict(6), vec![other]);
}

// ---------------------------------------------------------------- seeds' gold records

/// Reads the seeds' gold incidents (Contract 1 as hand-coded) into sourced incidents.
fn gold_incidents() -> Vec<SourcedIncident> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    let text = std::fs::read_to_string(dir.join("gold.jsonl")).unwrap();
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        let s = |v: &serde_json::Value| v.as_str().map(str::to_string);
        let casualties = |v: &serde_json::Value| Casualties {
            count: v.as_object().map(|o| Count {
                n: o["n"].as_u64().unwrap() as u32,
                q: o["q"].as_str().unwrap().parse().unwrap(),
            }),
            vague_low: None,
        };
        for (k, inc) in d["incidents"].as_array().unwrap().iter().enumerate() {
            out.push(SourcedIncident {
                incident: Incident {
                    date: inc["date"].as_str().map(date),
                    date_precision: inc["date_precision"].as_str().unwrap().parse().unwrap(),
                    place: s(&inc["place"]),
                    admin1: s(&inc["admin1"]),
                    country: s(&inc["country"]),
                    lat: None,
                    lon: None,
                    geo_precision: None,
                    perpetrator: inc["perpetrator"].as_str().unwrap().parse().unwrap(),
                    reported_by: inc["reported_by"].as_str().unwrap().parse().unwrap(),
                    weapons: inc["weapons"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|w| w.as_str().unwrap().parse().unwrap())
                        .collect(),
                    targets: inc["targets"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|w| w.as_str().unwrap().parse().unwrap())
                        .collect(),
                    killed: casualties(&inc["killed"]),
                    injured: casualties(&inc["injured"]),
                    evidence: Evidence::default(),
                },
                source: Source {
                    document_id: d["text_sha256"].as_str().unwrap().to_string(),
                    outlet: d["outlet"].as_str().unwrap().to_string(),
                    published: d["published"].as_str().map(date),
                },
                index: k as u32,
            });
        }
    }
    out
}

#[test]
fn seeds_gold_incidents_make_four_events() {
    let incs = gold_incidents();
    assert_eq!(incs.len(), 4);
    let ev = merge(&incs);
    let mut places: Vec<(String, Option<&str>)> = ev
        .iter()
        .map(|e| (e.date.unwrap().to_string(), e.place.as_deref()))
        .collect();
    places.sort();
    assert_eq!(
        places,
        [
            ("2025-03-14".to_string(), Some("Kharkiv")),
            ("2025-03-14".to_string(), Some("Tuapse")),
            ("2025-03-18".to_string(), None),
            ("2025-04-13".to_string(), Some("Sumy")),
        ]
    );
    let sumy = ev
        .iter()
        .find(|e| e.place.as_deref() == Some("Sumy"))
        .unwrap();
    assert_eq!(sumy.targets, [Target::Civilian]);
    assert_eq!(
        sumy.killed,
        Estimate {
            low: Some(35),
            best: Some(35),
            high: Some(35)
        }
    );
    assert_eq!(
        sumy.injured,
        Estimate {
            low: Some(100),
            best: Some(100),
            high: Some(100)
        }
    );
    let tuapse = ev
        .iter()
        .find(|e| e.place.as_deref() == Some("Tuapse"))
        .unwrap();
    assert_eq!(
        (tuapse.perpetrator, tuapse.country.as_deref()),
        (Side::Ua, Some("RU"))
    );
    assert_eq!(tuapse.voices, [Voice::Party(Party::Ru)]);
}

// ---------------------------------------------------------------- order independence

proptest! {
    #[test]
    fn any_input_order_gives_the_same_events(seed in any::<u64>(), n in 2usize..24) {
        // A pool of overlapping reports around two places and three days.
        let docs = ["a", "b", "c", "d", "e", "f", "g", "h"];
        let dates = ["2025-03-19", "2025-03-20", "2025-03-21"];
        let places = ["Kyiv", "Odesa"];
        let mut x = seed;
        let mut next = || { x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407); (x >> 33) as usize };
        let mut incs = Vec::new();
        for k in 0..n {
            let mut it = i(docs[next() % docs.len()], dates[next() % 3], places[next() % 2]);
            it.index = k as u32;
            it.perp = [Side::Ru, Side::Unknown][next() % 2];
            it.targets = [&[Target::Energy][..], &[Target::Unknown][..], &[Target::Civilian][..]][next() % 3];
            incs.push(it.build());
        }
        let base = merge(&incs);
        let mut shuffled = incs.clone();
        for k in (1..shuffled.len()).rev() {
            let j = next() % (k + 1);
            shuffled.swap(k, j);
        }
        prop_assert_eq!(merge(&shuffled), base.clone());
        let total: usize = base.iter().map(|e| e.sources.len()).sum();
        prop_assert_eq!(total, incs.len());
    }
}
