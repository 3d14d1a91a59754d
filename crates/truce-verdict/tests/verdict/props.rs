//! Property tests of the rules, over generated events and the shipped agreements.

use proptest::prelude::*;
use truce_agreements::{Overlap, overlap};
use truce_events::{Event, Source, SourcedIncident, merge};
use truce_model::{
    Casualties, DatePrecision, Evidence, Incident, NaiveDate, Reporter, Side, Target, Weapon,
};
use truce_verdict::{Strength, VerdictKind, judge};

use crate::common::{examples_dir, load};

const PLACES: &[(&str, &str, &str)] = &[
    ("Kharkiv", "Kharkiv Oblast", "UA"),
    ("Odesa", "Odesa Oblast", "UA"),
    ("Tuapse", "Krasnodar Krai", "RU"),
    ("Belgorod", "Belgorod Oblast", "RU"),
    ("Ocnita", "Ocnita", "MD"),
];

fn incident(day: u32, place: usize, perp: Side, targets: Vec<Target>, by: Reporter) -> Incident {
    let d = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap() + chrono::Days::new(u64::from(day));
    let (p, a, c) = PLACES[place];
    Incident {
        date: Some(d),
        date_precision: DatePrecision::Day,
        place: Some(p.to_string()),
        admin1: Some(a.to_string()),
        country: Some(c.to_string()),
        lat: None,
        lon: None,
        geo_precision: None,
        perpetrator: perp,
        reported_by: by,
        weapons: vec![Weapon::Drone],
        targets,
        killed: Casualties::default(),
        injured: Casualties::default(),
        evidence: Evidence::default(),
    }
}

fn sourced(i: Incident, doc: &str, outlet: &str) -> SourcedIncident {
    SourcedIncident {
        incident: i,
        source: Source {
            document_id: doc.to_string(),
            outlet: outlet.to_string(),
            published: None,
        },
        index: 0,
    }
}

fn side() -> impl Strategy<Value = Side> {
    prop_oneof![Just(Side::Ru), Just(Side::Ua), Just(Side::Unknown)]
}

fn targets() -> impl Strategy<Value = Vec<Target>> {
    proptest::sample::subsequence(Target::ALL.to_vec(), 1..3)
}

fn reporter() -> impl Strategy<Value = Reporter> {
    prop_oneof![
        Just(Reporter::Ua),
        Just(Reporter::Ru),
        Just(Reporter::Media)
    ]
}

/// The event's whole days as Unix seconds in the agreement's time zone.
fn span(e: &Event, tz: i64) -> (i64, i64) {
    let (lo, hi) = e.date_range.unwrap();
    let secs = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp() - tz;
    (secs(lo), secs(hi) + 86_400)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// An event outside every window of an agreement is never a violation of it.
    #[test]
    fn outside_the_window_is_never_a_violation(
        day in 0u32..110, place in 0usize..5, perp in side(), t in targets(), by in reporter()
    ) {
        let set = load(&[examples_dir()]);
        let ev = merge(&[sourced(incident(day, place, perp, t, by), "d", "o")]);
        let j = judge(&set, &ev, &[], &[]);
        for v in &j.verdicts {
            let a = v.agreement(&set).unwrap();
            let (s, e) = span(&ev[0], i64::from(a.time_zone.local_minus_utc()));
            if overlap(&a.window_intervals(), s, e) == Overlap::Disjoint {
                prop_assert_ne!(v.verdict, VerdictKind::ViolationAlleged);
                prop_assert_eq!(v.rule(), if a.ever_in_force() { "window.outside" } else { "agreement.never_in_force" });
            }
        }
    }

    /// A violation always has a perpetrator bound by the agreement for the event's whole time:
    /// an unbound party is never in violation.
    #[test]
    fn an_unbound_party_is_never_in_violation(
        day in 0u32..110, place in 0usize..5, perp in side(), t in targets(), by in reporter()
    ) {
        let set = load(&[examples_dir()]);
        let ev = merge(&[sourced(incident(day, place, perp, t, by), "d", "o")]);
        let j = judge(&set, &ev, &[], &[]);
        for v in &j.verdicts {
            if v.verdict != VerdictKind::ViolationAlleged {
                continue;
            }
            let a = v.agreement(&set).unwrap();
            let party = ev[0].perpetrator.party();
            prop_assert!(party.is_some());
            let party = party.unwrap();
            let (s, e) = span(&ev[0], i64::from(a.time_zone.local_minus_utc()));
            prop_assert_eq!(overlap(a.bound_intervals(party), s, e), Overlap::Inside);
        }
        // Ukraine never joined the Victory Day truce: never in violation of it.
        if perp == Side::Ua {
            for v in &j.verdicts {
                if v.agreement(&set).unwrap().id == "victory_day_truce_2025" {
                    prop_assert_eq!(v.verdict, VerdictKind::NotApplicable);
                }
            }
        }
    }

    /// Adding a corroborating source (another outlet reporting the same strike) never weakens a
    /// verdict: the verdict stays and its strength can only rise from one voice to corroborated.
    #[test]
    fn a_corroborating_source_never_weakens_a_verdict(
        day in 0u32..110, place in 0usize..5, perp in side(), t in targets(),
        by in reporter(), by2 in reporter()
    ) {
        let set = load(&[examples_dir()]);
        let i = incident(day, place, perp, t, by);
        let mut j2 = i.clone();
        j2.reported_by = by2;
        let one = merge(&[sourced(i.clone(), "d1", "outlet-a")]);
        let two = merge(&[sourced(i, "d1", "outlet-a"), sourced(j2, "d2", "outlet-b")]);
        prop_assert_eq!(two.len(), 1);
        let a = judge(&set, &one, &[], &[]);
        let b = judge(&set, &two, &[], &[]);
        for (x, y) in a.verdicts.iter().zip(&b.verdicts) {
            prop_assert_eq!(x.verdict, y.verdict);
            prop_assert_eq!(x.reason, y.reason);
            match (x.strength, y.strength) {
                (Some(Strength::OnePartyClaim), Some(s)) => {
                    prop_assert!(s == Strength::OnePartyClaim || s == Strength::Corroborated)
                }
                (p, q) => prop_assert_eq!(p, q),
            }
        }
    }
}
