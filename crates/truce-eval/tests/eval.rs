//! Scoring: matching rules, precision/recall/F1 and per-field accuracy.

use truce_eval::{Case, incidents_match, score};
use truce_model::{
    About, Act, Casualties, Count, DatePrecision, Evidence, Incident, NaiveDate, Party, Qualifier,
    Reporter, Side, Span, Statement, Target, Weapon,
};

fn inc(
    date: &str,
    place: Option<&str>,
    admin1: Option<&str>,
    country: &str,
    killed: Option<u32>,
) -> Incident {
    Incident {
        date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
        date_precision: DatePrecision::Day,
        place: place.map(str::to_string),
        admin1: admin1.map(str::to_string),
        country: Some(country.to_string()),
        lat: None,
        lon: None,
        geo_precision: None,
        perpetrator: Side::Ru,
        reported_by: Reporter::Ua,
        weapons: vec![Weapon::Drone],
        targets: vec![Target::Civilian],
        killed: Casualties {
            count: killed.map(|n| Count {
                n,
                q: Qualifier::Exact,
            }),
            vague_low: None,
        },
        injured: Casualties::default(),
        evidence: Evidence {
            span: Span::new(0, 10),
            text: "x".into(),
        },
    }
}

fn st(party: Party, act: Act, about: About) -> Statement {
    Statement {
        date: None,
        speaker: "x".into(),
        party,
        act,
        about,
        target: None,
        evidence: Evidence::default(),
    }
}

fn check_match(a: &Incident, b: &Incident, want: bool) {
    assert_eq!(incidents_match(a, b), want, "{a:?}\n{b:?}");
}

#[test]
fn incident_matching_rules() {
    let sumy = inc(
        "2025-04-13",
        Some("Sumy"),
        Some("Sumy Oblast"),
        "UA",
        Some(35),
    );
    check_match(
        &sumy,
        &inc("2025-04-14", Some("Sumy"), Some("Sumy Oblast"), "UA", None),
        true,
    );
    check_match(
        &sumy,
        &inc("2025-04-15", Some("Sumy"), Some("Sumy Oblast"), "UA", None),
        false,
    );
    check_match(
        &sumy,
        &inc("2025-04-13", Some("Sumy"), Some("Sumy Oblast"), "RU", None),
        false,
    );
    check_match(
        &sumy,
        &inc("2025-04-13", None, Some("Sumy Oblast"), "UA", None),
        true,
    );
    check_match(
        &sumy,
        &inc(
            "2025-04-13",
            Some("Okhtyrka"),
            Some("Sumy Oblast"),
            "UA",
            None,
        ),
        false,
    );
    check_match(
        &inc(
            "2025-03-28",
            Some("Suzemka"),
            Some("Bryansk Oblast"),
            "RU",
            None,
        ),
        &inc(
            "2025-03-28",
            Some("Suzëmka"),
            Some("Bryansk Oblast"),
            "RU",
            None,
        ),
        true,
    );
    check_match(
        &inc("2025-03-18", None, None, "UA", None),
        &inc("2025-03-18", None, None, "UA", None),
        true,
    );
}

#[test]
fn scores_detection_and_fields() {
    let gold_i = vec![
        inc(
            "2025-04-13",
            Some("Sumy"),
            Some("Sumy Oblast"),
            "UA",
            Some(35),
        ),
        inc(
            "2025-04-13",
            Some("Kharkiv"),
            Some("Kharkiv Oblast"),
            "UA",
            None,
        ),
    ];
    let coded_i = vec![
        inc(
            "2025-04-13",
            Some("Sumy"),
            Some("Sumy Oblast"),
            "UA",
            Some(34),
        ),
        inc(
            "2025-04-13",
            Some("Odesa"),
            Some("Odesa Oblast"),
            "UA",
            None,
        ),
    ];
    let gold_s = vec![
        st(Party::Ru, Act::Reject, About::GeneralCeasefire),
        st(Party::Ua, Act::Accept, About::GeneralCeasefire),
    ];
    let coded_s = vec![st(Party::Ua, Act::Accept, About::GeneralCeasefire)];
    let r = score(&[Case {
        document: "d",
        gold_incidents: &gold_i,
        gold_statements: &gold_s,
        incidents: &coded_i,
        statements: &coded_s,
    }]);
    assert_eq!(
        (
            r.incidents.true_positives,
            r.incidents.false_positives,
            r.incidents.false_negatives
        ),
        (1, 1, 1)
    );
    assert!((r.incidents.f1() - 0.5).abs() < 1e-9);
    assert_eq!(
        (r.statements.true_positives, r.statements.false_negatives),
        (1, 1)
    );
    assert!((r.statements.precision() - 1.0).abs() < 1e-9);
    let killed = r.field("killed").expect("killed scored");
    assert_eq!((killed.correct, killed.total), (0, 1));
    assert_eq!(r.field("place").map(|f| f.correct), Some(1));
    assert_eq!(r.field_errors.len(), 1);
    assert_eq!(r.misses.len(), 2);
    assert_eq!(r.false_alarms.len(), 1);
}
