//! What the `demo` and `export` commands show, read from a store: the compliance report per
//! agreement, and events with their verdicts as [`ExportEvent`]s.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;
use truce_model::{DatePrecision, GeoPrecision, Party, Side};
use truce_store::{EventRow, Query, Store, StoreError, VerdictRow};

use crate::export::{ExportEvent, ExportVerdict};

/// Page size for store listings.
const PAGE: u32 = 1000;

/// Calls `f` on every event of the store, in (date, id) order, with its verdicts.
pub fn for_each_event(
    store: &dyn Store,
    mut f: impl FnMut(&EventRow, &[VerdictRow]) -> Result<(), StoreError>,
) -> Result<u64, StoreError> {
    let mut q = Query::limit(PAGE);
    let mut n = 0;
    loop {
        let page = store.events(&q)?;
        for e in &page.items {
            let verdicts = all_verdicts(
                store,
                Query {
                    event: Some(e.id.clone()),
                    ..Query::limit(PAGE)
                },
            )?;
            f(e, &verdicts)?;
            n += 1;
        }
        match page.next {
            Some(c) => q.after = Some(c),
            None => return Ok(n),
        }
    }
}

fn all_verdicts(store: &dyn Store, mut q: Query) -> Result<Vec<VerdictRow>, StoreError> {
    let mut out = Vec::new();
    loop {
        let page = store.verdicts(&q)?;
        out.extend(page.items);
        match page.next {
            Some(c) => q.after = Some(c),
            None => return Ok(out),
        }
    }
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn number(v: &Value, path: &[&str]) -> Option<u64> {
    let mut cur = v;
    for k in path {
        cur = cur.get(k)?;
    }
    cur.as_u64()
}

/// An event row (its payload written by [`crate::engine::event_json`]) and its verdicts, as
/// exported. `evidence` gives the text of a member incident's evidence (document id, ord).
pub fn export_event(
    e: &EventRow,
    verdicts: &[VerdictRow],
    evidence: &mut dyn FnMut(&str, u32) -> Option<String>,
) -> ExportEvent {
    let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
    let date_precision = p
        .get("date_precision")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<DatePrecision>().ok())
        .unwrap_or(DatePrecision::Unknown);
    let geo_precision = p
        .get("geo_precision")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<GeoPrecision>().ok());
    let targets = strings(&p, "targets");
    let country = e.country.clone();
    let actor2 = if targets.iter().any(|t| t == "civilian") {
        match country.as_deref() {
            Some("UA") => "Civilians (Ukraine)".to_string(),
            Some("RU") => "Civilians (Russia)".to_string(),
            _ => "Civilians".to_string(),
        }
    } else {
        String::new()
    };
    let mut sources = Vec::new();
    if let Some(list) = p.get("sources").and_then(Value::as_array) {
        for s in list {
            if let Some(o) = s.get("outlet").and_then(Value::as_str)
                && !sources.iter().any(|x| x == o)
            {
                sources.push(o.to_string());
            }
        }
    }
    let notes = e
        .members
        .first()
        .and_then(|k| evidence(&k.document, k.ord))
        .unwrap_or_default();
    ExportEvent {
        id: e.id.clone(),
        date: e.date,
        date_precision,
        perpetrator: e.perpetrator,
        actor2,
        country,
        admin1: e.admin1.clone(),
        location: e.place.clone(),
        lat: e.lat,
        lon: e.lon,
        geo_precision,
        weapons: strings(&p, "weapons"),
        targets,
        fatalities_low: number(&p, &["killed", "low"]),
        fatalities_best: number(&p, &["killed", "best"]),
        fatalities_high: number(&p, &["killed", "high"]),
        injured: number(&p, &["injured", "best"]),
        sources,
        notes,
        verdicts: verdicts
            .iter()
            .map(|v| ExportVerdict {
                agreement: v.agreement.clone(),
                verdict: v.verdict.clone(),
                strength: v.strength.clone(),
                reason: v.reason.clone(),
            })
            .collect(),
    }
}

/// Every event of the store as exported, one at a time (memory stays flat).
pub fn for_each_export(
    store: &dyn Store,
    mut f: impl FnMut(&ExportEvent) -> std::io::Result<()>,
) -> Result<u64, ViewError> {
    let mut io_error = None;
    let n = for_each_event(store, |e, verdicts| {
        let mut evidence = |doc: &str, ord: u32| -> Option<String> {
            let (incidents, _) = store.records_of(doc).ok()?;
            incidents
                .into_iter()
                .find(|i| i.key.ord == ord)
                .map(|i| i.incident.evidence.text)
        };
        let x = export_event(e, verdicts, &mut evidence);
        if io_error.is_none()
            && let Err(err) = f(&x)
        {
            io_error = Some(err);
        }
        Ok(())
    })?;
    match io_error {
        Some(e) => Err(ViewError::Io(e)),
        None => Ok(n),
    }
}

/// A failure reading the store or writing the output.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the output: {0}")]
    Io(std::io::Error),
    #[error("agreement {id}: {message}")]
    Agreement { id: String, message: String },
}

/// Verdict counts of one agreement for one perpetrator side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SideCounts {
    /// verdict -> count
    pub verdicts: BTreeMap<String, u64>,
    /// strength of `violation_alleged` verdicts -> count
    pub strengths: BTreeMap<String, u64>,
}

/// The compliance report of one agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementReport {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub windows: Vec<(String, String)>,
    pub in_force: Vec<(String, String)>,
    pub status: String,
    /// Per party: its positions (`date position`, with conditions).
    pub positions: Vec<(String, Vec<String>)>,
    /// Per perpetrator side (`RU`, `UA`, `unknown`).
    pub sides: BTreeMap<String, SideCounts>,
}

/// The compliance report of every agreement in the store, with status as of `now`.
pub fn compliance(
    store: &dyn Store,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Result<Vec<AgreementReport>, ViewError> {
    let mut reports = Vec::new();
    let mut index = BTreeMap::new();
    for row in store.agreements()? {
        let a = truce_agreements::parse_agreement(&format!("{}.toml", row.id), &row.toml).map_err(
            |errs| ViewError::Agreement {
                id: row.id.clone(),
                message: errs
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            },
        )?;
        let mut parties: Vec<Party> = a.parties.clone();
        for p in &a.mediators {
            if !parties.contains(p) {
                parties.push(*p);
            }
        }
        let positions = parties
            .iter()
            .map(|&p| {
                let lines = a
                    .positions_of(p)
                    .map(|pos| {
                        let mut s = format!("{} {}", pos.date, pos.kind.as_str());
                        if !pos.conditions.is_empty() {
                            let _ = write!(s, " (conditions: {})", pos.conditions.join("; "));
                        }
                        s
                    })
                    .collect();
                (p.as_str().to_string(), lines)
            })
            .collect();
        index.insert(row.id.clone(), reports.len());
        reports.push(AgreementReport {
            id: a.id.clone(),
            title: a.title.clone(),
            kind: a.kind.as_str().to_string(),
            windows: a
                .windows
                .iter()
                .map(|w| {
                    (
                        w.start.to_rfc3339(),
                        w.end
                            .map(|e| e.to_rfc3339())
                            .unwrap_or_else(|| "open".into()),
                    )
                })
                .collect(),
            in_force: a
                .in_force_intervals()
                .iter()
                .map(|i| (a.format_instant(i.start), a.format_instant(i.end)))
                .collect(),
            status: a.status_at(now).as_str().to_string(),
            positions,
            sides: BTreeMap::new(),
        });
    }
    for_each_event(store, |e, verdicts| {
        for v in verdicts {
            if let Some(&k) = index.get(&v.agreement) {
                let side = reports[k]
                    .sides
                    .entry(side_name(e.perpetrator))
                    .or_default();
                *side.verdicts.entry(v.verdict.clone()).or_default() += 1;
                if v.verdict == "violation_alleged" {
                    let s = v.strength.clone().unwrap_or_else(|| "unknown".into());
                    *side.strengths.entry(s).or_default() += 1;
                }
            }
        }
        Ok(())
    })?;
    Ok(reports)
}

fn side_name(s: Side) -> String {
    s.as_str().to_string()
}

/// The compliance report as text.
pub fn render(reports: &[AgreementReport]) -> String {
    let mut out = String::new();
    for r in reports {
        let _ = writeln!(out, "{} ({}, {})", r.title, r.id, r.kind);
        for (s, e) in &r.windows {
            let _ = writeln!(out, "  window     {s} .. {e}");
        }
        if r.in_force.is_empty() {
            let _ = writeln!(out, "  in force   never (not every bound party accepted)");
        }
        for (s, e) in &r.in_force {
            let _ = writeln!(out, "  in force   {s} .. {e}");
        }
        let _ = writeln!(out, "  status     {}", r.status.replace('_', " "));
        for (party, lines) in &r.positions {
            if lines.is_empty() {
                continue;
            }
            let _ = writeln!(out, "  {party:<10} {}", lines.join("; "));
        }
        if r.sides.is_empty() {
            let _ = writeln!(out, "  events     none judged");
        }
        for (side, c) in &r.sides {
            let verdicts: Vec<String> = c
                .verdicts
                .iter()
                .map(|(v, n)| format!("{n} {}", v.replace('_', " ")))
                .collect();
            let mut line = format!("  by {side:<7} {}", verdicts.join(", "));
            if !c.strengths.is_empty() {
                let s: Vec<String> = c
                    .strengths
                    .iter()
                    .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
                    .collect();
                let _ = write!(line, " (violations: {})", s.join(", "));
            }
            let _ = writeln!(out, "{line}");
        }
        out.push('\n');
    }
    out
}
