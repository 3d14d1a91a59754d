//! The real rules behind [`Engine`]: truce-agreements parses agreements, truce-events merges
//! incidents into events, truce-verdict judges them. Wire forms (the agreement's and the event's
//! JSON) are written here by hand.

use serde_json::{Value, json};
use truce_agreements::{Agreement, AgreementSet, Countries};
use truce_events::{Estimate, Event, EventId, Merger, Source};
use truce_model::{Act, Statement};

use crate::ledger::{
    DocInfo, Engine, EventRecord, EventReview, Judgement, SourcedIncident, SourcedStatement,
};

/// truce's rules, as shipped.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules;

fn date(d: Option<truce_model::NaiveDate>) -> Value {
    d.map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
        .unwrap_or(Value::Null)
}

/// An agreement's parsed content as JSON.
pub fn agreement_json(a: &Agreement) -> Value {
    let parties = |v: &[truce_model::Party]| v.iter().map(|p| p.as_str()).collect::<Vec<_>>();
    json!({
        "id": a.id,
        "title": a.title,
        "kind": a.kind.as_str(),
        "about": a.about.as_str(),
        "parties": parties(&a.parties),
        "mediators": parties(&a.mediators),
        "time_zone": a.time_zone.to_string(),
        "windows": a.windows.iter().map(|w| json!({
            "start": w.start.to_rfc3339(),
            "end": w.end.map(|e| e.to_rfc3339()),
        })).collect::<Vec<_>>(),
        "protected": {
            "targets": a.protected.targets.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            "sub_kinds": a.protected.sub_kinds.iter().map(|(t, s)| (t.as_str().to_string(), json!(s))).collect::<serde_json::Map<_, _>>(),
        },
        "geography": {
            "countries": match &a.geography.countries { Countries::All => json!("all"), Countries::Only(c) => json!(c) },
            "admin1": a.geography.admin1,
            "note": a.geography.note,
        },
        "conditions": a.conditions.iter().map(|(p, c)| (p.as_str().to_string(), json!(c))).collect::<serde_json::Map<_, _>>(),
        "positions": a.positions.iter().map(|p| json!({
            "party": p.party.as_str(),
            "position": p.kind.as_str(),
            "date": p.date.format("%Y-%m-%d").to_string(),
            "at": p.at.to_rfc3339(),
            "conditions": p.conditions,
            "mirror": p.mirror,
            "statement": p.statement,
            "source": p.source,
        })).collect::<Vec<_>>(),
        "notes": a.notes,
    })
}

fn estimate(e: &Estimate) -> Value {
    json!({"low": e.low, "best": e.best, "high": e.high})
}

/// A merged event as JSON (what the store keeps, the API and exports read).
pub fn event_json(e: &Event) -> Value {
    json!({
        "id": e.id.to_string(),
        "date": date(e.date),
        "date_precision": e.date_precision.as_str(),
        "date_range": e.date_range.map(|(a, b)| json!([a.format("%Y-%m-%d").to_string(), b.format("%Y-%m-%d").to_string()])),
        "place": e.place,
        "admin1": e.admin1,
        "country": e.country,
        "lat": e.lat,
        "lon": e.lon,
        "geo_precision": e.geo_precision.map(|g| g.as_str()),
        "perpetrator": e.perpetrator.as_str(),
        "weapons": e.weapons.iter().map(|w| w.as_str()).collect::<Vec<_>>(),
        "targets": e.targets.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        "killed": estimate(&e.killed),
        "injured": estimate(&e.injured),
        "independent_sources": e.independent_sources(),
        "voices": e.voices.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
        "sources": e.sources.iter().map(|s| json!({
            "document": s.document_id,
            "outlet": s.outlet,
            "published": date(s.published),
            "index": s.index,
            "reported_by": s.reporter.as_str(),
            "voice": s.voice.to_string(),
            "evidence": {"start": s.incident.evidence.span.start, "end": s.incident.evidence.span.end},
        })).collect::<Vec<_>>(),
    })
}

impl Engine for Rules {
    type Agreement = Agreement;
    type Event = Event;
    type Merger = Merger;

    fn version(&self) -> String {
        truce_verdict::ENGINE_VERSION.to_string()
    }

    fn parse_agreement(
        &self,
        toml: &str,
        origin: &str,
    ) -> Result<(String, Agreement, Value), String> {
        let a = truce_agreements::parse_agreement(origin, toml).map_err(|errs| {
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        let content = agreement_json(&a);
        Ok((a.id.clone(), a, content))
    }

    fn merge_window(&self) -> u64 {
        truce_events::MERGE_WINDOW_DOCUMENTS
    }

    fn merger(&self) -> Merger {
        Merger::new()
    }

    fn add_incident(&self, merger: &mut Merger, s: &SourcedIncident, tick: u64) -> String {
        let sourced = truce_events::SourcedIncident {
            incident: s.incident.clone(),
            source: source(&s.document),
            index: s.ord,
        };
        merger.add(sourced, tick).0.to_string()
    }

    fn event(&self, merger: &Merger, id: &str) -> Option<Event> {
        merger.event(&EventId::parse(id)?)
    }

    fn close(&self, merger: &mut Merger, tick: u64) -> Vec<String> {
        merger
            .evict(tick)
            .into_iter()
            .map(|id| id.to_string())
            .collect()
    }

    fn events_dated(
        &self,
        merger: &Merger,
        from: truce_model::NaiveDate,
        to: truce_model::NaiveDate,
    ) -> Vec<String> {
        merger
            .ids_dated(from, to)
            .map(|id| id.to_string())
            .collect()
    }

    fn open_events(&self, merger: &Merger) -> Vec<String> {
        merger.ids().map(|id| id.to_string()).collect()
    }

    fn judge(
        &self,
        events: &[&Event],
        agreements: &[&Agreement],
        statements: &[SourcedStatement],
    ) -> Vec<Vec<Judgement>> {
        self.judge_reviewed(events, agreements, statements, &[])
    }

    fn judge_reviewed(
        &self,
        events: &[&Event],
        agreements: &[&Agreement],
        statements: &[SourcedStatement],
        reviews: &[&[EventReview]],
    ) -> Vec<Vec<Judgement>> {
        // The analysts' reviews, by the engine's event ids (an unknown action is skipped: the
        // ledger refuses it when the entry is read).
        let reviews: Vec<truce_verdict::Review> = events
            .iter()
            .zip(reviews)
            .flat_map(|(e, rs)| {
                rs.iter().filter_map(|r| {
                    Some(truce_verdict::Review {
                        event_id: e.id,
                        action: truce_verdict::ReviewAction::parse(&r.action)?,
                        author: r.author.clone(),
                        note: r.reason.clone(),
                    })
                })
            })
            .collect();
        let (set, _) = AgreementSet::new(agreements.iter().map(|a| (*a).clone()).collect());
        let denials: Vec<truce_verdict::SourcedStatement> = statements
            .iter()
            .filter(|s| s.statement.act == Act::Deny)
            .map(|s| truce_verdict::SourcedStatement {
                statement: s.statement.clone(),
                source: source(&s.document),
            })
            .collect();
        let owned: Vec<Event> = events.iter().map(|e| (*e).clone()).collect();
        let j = truce_verdict::judge(&set, &owned, &denials, &reviews);
        // Verdicts come per event in `j.events` order, one per agreement of the set.
        let n = set.len();
        let position: std::collections::HashMap<truce_events::EventId, usize> = j
            .events
            .iter()
            .enumerate()
            .map(|(k, id)| (*id, k))
            .collect();
        events
            .iter()
            .map(|e| {
                let verdicts = position
                    .get(&e.id)
                    .and_then(|&k| j.verdicts.get(k * n..(k + 1) * n))
                    .unwrap_or(&[]);
                agreements
                    .iter()
                    .map(|a| {
                        match verdicts
                            .iter()
                            .find(|v| v.agreement(&set).is_some_and(|x| x.id == a.id))
                        {
                            Some(v) => Judgement {
                                verdict: v.verdict.as_str().to_string(),
                                strength: v.strength.map(|s| s.as_str().to_string()),
                                reason: v.reason.explain(a, e),
                            },
                            None => Judgement {
                                verdict: "indeterminate".to_string(),
                                strength: None,
                                reason: format!(
                                    "the engine returned no verdict for agreement {}",
                                    a.id
                                ),
                            },
                        }
                    })
                    .collect()
            })
            .collect()
    }

    fn statement_reach(
        &self,
        statement: &Statement,
        published: Option<truce_model::NaiveDate>,
    ) -> Option<Option<(truce_model::NaiveDate, truce_model::NaiveDate)>> {
        // truce-verdict reads denials: one refers to the events of its own document, and to the
        // perpetrator's events from their first day to two days after their last (an event
        // spans at most two days) that it names.
        if statement.act != Act::Deny {
            return None;
        }
        let Some(day) = statement.date.or(published) else {
            return Some(None);
        };
        let from = day
            .checked_sub_days(chrono::Days::new(3))
            .unwrap_or(truce_model::NaiveDate::MIN);
        Some(Some((from, day)))
    }

    fn record(&self, id: &str, e: &Event) -> EventRecord {
        let mut members: Vec<(String, u32)> = e
            .sources
            .iter()
            .map(|s| (s.document_id.clone(), s.index))
            .collect();
        members.sort();
        EventRecord {
            id: id.to_string(),
            date: e.date,
            place: e.place.clone(),
            admin1: e.admin1.clone(),
            country: e.country.clone(),
            lat: e.lat,
            lon: e.lon,
            perpetrator: e.perpetrator,
            targets: e.targets.clone(),
            payload: event_json(e),
            members,
        }
    }
}

/// A document as truce-events names its source: its outlet is the one the input names (a
/// sidecar's or JSONL line's `outlet`), else its URL's host, else the file it was read from
/// (for a JSONL line, the file without the line number).
pub fn source(d: &DocInfo) -> Source {
    let outlet = match d.outlet.as_deref().map(str::trim) {
        Some(o) if !o.is_empty() => o.to_string(),
        _ => {
            let file = d.source.as_deref().map(|s| {
                if d.jsonl {
                    s.rsplit_once(':')
                        .filter(|(_, line)| {
                            !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())
                        })
                        .map_or(s, |(file, _)| file)
                } else {
                    s
                }
            });
            let meta = truce_model::DocumentMeta {
                id: d.id.clone(),
                published: d.published,
                url: d.url.clone(),
                source: file.map(str::to_string),
                ..Default::default()
            };
            truce_events::outlet_of(&meta)
        }
    };
    Source {
        document_id: d.id.clone(),
        outlet,
        published: d.published,
    }
}

/// The shipped coder behind [`crate::pipeline::Coding`].
impl crate::pipeline::Coding for truce_coder::Coder<'_> {
    fn code(&self, doc: &crate::input::RawDoc, _id: &str) -> truce_model::CodedDocument {
        let format = match doc.format {
            crate::input::Format::Html => truce_coder::Format::Html,
            crate::input::Format::Text => truce_coder::Format::Text,
        };
        truce_coder::Coder::code(
            self,
            &truce_coder::Input {
                text: &doc.text,
                published: doc.published,
                language: doc.language.as_deref(),
                url: doc.url.as_deref(),
                source: Some(&doc.source),
                format: Some(format),
            },
        )
    }
}
