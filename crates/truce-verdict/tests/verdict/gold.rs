//! The seeds' gold records (read in place, converted to model types) against the shipped
//! agreements: the Done-when facts of issue 3.

use serde_json::Value;
use truce_events::{Event, Source, SourcedIncident, merge};
use truce_model::{Casualties, Count, Evidence, Incident, Span, Statement};
use truce_verdict::{CommitmentStatus, Judgement, Reason, SourcedStatement, VerdictKind, judge};

use crate::common::{date, examples_dir, load, manifest};

/// Evidence from Python character offsets into the text, as UTF-8 byte offsets.
fn evidence(text: &str, v: &Value) -> Evidence {
    let s = v[0].as_u64().unwrap() as usize;
    let e = v[1].as_u64().unwrap() as usize;
    let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
    let (bs, be) = (byte(s), byte(e));
    Evidence {
        span: Span::new(bs, be),
        text: text[bs..be].to_string(),
    }
}

fn casualties(v: &Value) -> Casualties {
    Casualties {
        count: v.as_object().map(|o| Count {
            n: o["n"].as_u64().unwrap() as u32,
            q: o["q"].as_str().unwrap().parse().unwrap(),
        }),
        vague_low: None,
    }
}

fn terms<T: std::str::FromStr>(v: &Value) -> Vec<T>
where
    T::Err: std::fmt::Debug,
{
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().parse().unwrap())
        .collect()
}

pub fn gold() -> (Vec<SourcedIncident>, Vec<SourcedStatement>) {
    let dir = manifest().join("../../../shared/corpus/seeds");
    let jsonl = std::fs::read_to_string(dir.join("gold.jsonl")).unwrap();
    let (mut incs, mut stmts) = (Vec::new(), Vec::new());
    for line in jsonl.lines().filter(|l| !l.trim().is_empty()) {
        let d: Value = serde_json::from_str(line).unwrap();
        let text = std::fs::read_to_string(dir.join(d["file"].as_str().unwrap())).unwrap();
        let source = Source {
            document_id: d["text_sha256"].as_str().unwrap().to_string(),
            outlet: d["outlet"].as_str().unwrap().to_string(),
            published: d["published"].as_str().map(date),
        };
        let s = |v: &Value| v.as_str().map(str::to_string);
        for (k, i) in d["incidents"].as_array().unwrap().iter().enumerate() {
            incs.push(SourcedIncident {
                incident: Incident {
                    date: i["date"].as_str().map(date),
                    date_precision: i["date_precision"].as_str().unwrap().parse().unwrap(),
                    place: s(&i["place"]),
                    admin1: s(&i["admin1"]),
                    country: s(&i["country"]),
                    lat: None,
                    lon: None,
                    geo_precision: None,
                    perpetrator: i["perpetrator"].as_str().unwrap().parse().unwrap(),
                    reported_by: i["reported_by"].as_str().unwrap().parse().unwrap(),
                    weapons: terms(&i["weapons"]),
                    targets: terms(&i["targets"]),
                    killed: casualties(&i["killed"]),
                    injured: casualties(&i["injured"]),
                    evidence: evidence(&text, &i["evidence"]),
                },
                source: source.clone(),
                index: k as u32,
            });
        }
        for st in d["statements"].as_array().unwrap() {
            stmts.push(SourcedStatement {
                statement: Statement {
                    date: st["date"].as_str().map(date),
                    speaker: st["speaker"].as_str().unwrap().to_string(),
                    party: st["party"].as_str().unwrap().parse().unwrap(),
                    act: st["act"].as_str().unwrap().parse().unwrap(),
                    about: st["about"].as_str().unwrap().parse().unwrap(),
                    target: st["target"].as_str().map(|t| t.parse().unwrap()),
                    evidence: evidence(&text, &st["evidence"]),
                },
                source: source.clone(),
            });
        }
    }
    (incs, stmts)
}

fn verdict_on<'a>(
    j: &'a Judgement,
    set: &truce_agreements::AgreementSet,
    events: &[Event],
    place: Option<&str>,
    agreement: &str,
) -> &'a truce_verdict::Verdict {
    let e = events.iter().find(|e| e.place.as_deref() == place).unwrap();
    j.verdicts_of(e.id)
        .iter()
        .find(|v| v.agreement(set).unwrap().id == agreement)
        .unwrap()
}

#[test]
fn seeds_against_the_shipped_agreements() {
    let set = load(&[examples_dir()]);
    let (incs, stmts) = gold();
    let events = merge(&incs);
    assert_eq!(events.len(), 4);
    let j = judge(&set, &events, &stmts, &[]);
    assert_eq!(j.verdicts.len(), 4 * 5);

    // Tuapse (14 Mar) predates the energy moratorium's window.
    let v = verdict_on(&j, &set, &events, Some("Tuapse"), "energy_moratorium_2025");
    assert_eq!(v.verdict, VerdictKind::NotApplicable);
    assert_eq!(v.reason, Reason::OutsideWindow { before: true });
    assert_eq!(v.rule(), "window.outside");

    // Sumy (13 Apr) is inside the window, while in force, but hit civilians.
    let v = verdict_on(&j, &set, &events, Some("Sumy"), "energy_moratorium_2025");
    assert_eq!(v.verdict, VerdictKind::NotApplicable);
    assert_eq!(v.reason, Reason::TargetNotProtected);
    let sumy = events
        .iter()
        .find(|e| e.place.as_deref() == Some("Sumy"))
        .unwrap();
    let a = set.get("energy_moratorium_2025").unwrap();
    assert_eq!(
        v.reason.explain(a, sumy),
        "the event's targets (civilian) are not protected (protected: energy)"
    );

    // No general ceasefire was ever in force.
    let gc = set.get("general_ceasefire_2025").unwrap();
    assert!(!gc.ever_in_force());
    for e in &events {
        let v = verdict_on(
            &j,
            &set,
            &events,
            e.place.as_deref(),
            "general_ceasefire_2025",
        );
        assert_eq!(
            (v.verdict, v.reason),
            (VerdictKind::NotApplicable, Reason::NeverInForce)
        );
        assert_eq!(
            v.reason.explain(gc, e),
            "general_ceasefire_2025 was never in force: RU never accepted it unconditionally"
        );
    }
    // Nothing in the seeds is a violation of anything.
    assert!(
        j.verdicts
            .iter()
            .all(|v| v.verdict != VerdictKind::ViolationAlleged)
    );

    // Putin's 18 Mar commitment on energy strikes is tracked against the moratorium.
    let c = j
        .commitments
        .iter()
        .find(|c| c.speaker == "Vladimir Putin" && c.about == truce_model::About::EnergyMoratorium)
        .unwrap();
    assert_eq!(c.date, Some(date("2025-03-18")));
    assert_eq!(c.agreement.as_deref(), Some("energy_moratorium_2025"));
    assert_eq!(c.status, CommitmentStatus::KeptSoFar);
    assert!(
        c.sources[0]
            .evidence
            .contains("stop attacks on Ukrainian energy")
    );
    // Trump's commitment about "other" has no agreement to track.
    let t = j
        .commitments
        .iter()
        .find(|c| c.speaker == "Donald Trump")
        .unwrap();
    assert_eq!(t.status, CommitmentStatus::NotTracked);
}

#[test]
fn same_inputs_in_any_order_give_the_same_judgement() {
    let set = load(&[examples_dir()]);
    let (mut incs, mut stmts) = gold();
    let events = merge(&incs);
    let j = judge(&set, &events, &stmts, &[]);
    incs.reverse();
    stmts.reverse();
    let mut events2 = merge(&incs);
    events2.reverse();
    assert_eq!(judge(&set, &events2, &stmts, &[]), j);
}
