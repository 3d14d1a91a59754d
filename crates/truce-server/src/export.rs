//! Exports of events with their verdicts: CSV with ACLED-like columns (the same columns as
//! `truce export`), GeoJSON (RFC 7946) and JSON Lines.

use serde_json::{Value, json};
use truce_wire::api::EventView;

/// The CSV header, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "time_precision",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "injured",
    "weapons",
    "targets",
    "sources",
    "notes",
    "truce_verdicts",
    "truce_violation_alleged",
];

fn actor1(perpetrator: &str) -> &'static str {
    match perpetrator {
        "RU" => "Military Forces of Russia",
        "UA" => "Military Forces of Ukraine",
        _ => "Unidentified Armed Group",
    }
}

fn time_precision(e: &EventView) -> &'static str {
    match (e.date.is_some(), e.date_precision.as_str()) {
        (true, "day") => "1",
        (true, _) => "3",
        _ => "",
    }
}

fn opt<T: ToString>(x: Option<T>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

fn sources(e: &EventView) -> Vec<String> {
    e.sources
        .iter()
        .map(|s| s.source.clone().unwrap_or_else(|| s.document.clone()))
        .collect()
}

fn violations(e: &EventView) -> Vec<&str> {
    e.verdicts
        .iter()
        .filter(|v| v.verdict == "violation_alleged")
        .map(|v| v.agreement.as_str())
        .collect()
}

/// One event's cells in [`CSV_COLUMNS`] order.
pub fn csv_cells(e: &EventView) -> Vec<String> {
    let verdicts: Vec<String> = e
        .verdicts
        .iter()
        .map(|v| match &v.strength {
            Some(s) => format!("{}={}/{}", v.agreement, v.verdict, s),
            None => format!("{}={}", v.agreement, v.verdict),
        })
        .collect();
    vec![
        e.id.clone(),
        opt(e.date.as_deref()),
        time_precision(e).to_string(),
        actor1(&e.perpetrator).to_string(),
        e.targets.join(";"),
        opt(e.country.as_deref()),
        opt(e.admin1.as_deref()),
        opt(e.place.as_deref()),
        opt(e.lat),
        opt(e.lon),
        opt(e.killed.low),
        opt(e.killed.best),
        opt(e.killed.high),
        opt(e.injured.best),
        e.weapons.join(";"),
        e.targets.join(";"),
        sources(e).join("; "),
        e.sources
            .first()
            .map(|s| s.evidence.text.clone())
            .unwrap_or_default(),
        verdicts.join("; "),
        violations(e).join(";"),
    ]
}

/// One CSV field (RFC 4180), quoted when needed; cells a spreadsheet would read as a formula
/// are quoted too.
pub fn csv_field(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '@']) || (s.starts_with('-') && s.parse::<f64>().is_err());
    if risky || s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_line(out: &mut String, cells: &[String]) {
    let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

pub fn csv(events: &[EventView]) -> String {
    let mut out = String::new();
    let header: Vec<String> = CSV_COLUMNS.iter().map(|s| s.to_string()).collect();
    csv_line(&mut out, &header);
    for e in events {
        csv_line(&mut out, &csv_cells(e));
    }
    out
}

/// The event as one flat JSON object (a JSON Lines row, a feature's properties).
pub fn json_object(e: &EventView) -> Value {
    json!({
        "event_id_cnty": e.id,
        "event_date": e.date,
        "date_precision": e.date_precision,
        "actor1": actor1(&e.perpetrator),
        "perpetrator": e.perpetrator,
        "country": e.country,
        "admin1": e.admin1,
        "location": e.place,
        "latitude": e.lat,
        "longitude": e.lon,
        "fatalities_low": e.killed.low,
        "fatalities_best": e.killed.best,
        "fatalities_high": e.killed.high,
        "injured_low": e.injured.low,
        "injured_best": e.injured.best,
        "injured_high": e.injured.high,
        "weapons": e.weapons,
        "targets": e.targets,
        "sources": sources(e),
        "truce_verdicts": e.verdicts.iter().map(|v| json!({
            "agreement": v.agreement, "verdict": v.verdict, "strength": v.strength, "reason": v.reason,
        })).collect::<Vec<_>>(),
        "truce_violation_alleged": violations(e),
    })
}

pub fn jsonl(events: &[EventView]) -> String {
    let mut out = String::new();
    for e in events {
        out.push_str(&json_object(e).to_string());
        out.push('\n');
    }
    out
}

pub fn geojson(events: &[EventView]) -> String {
    let features: Vec<Value> = events
        .iter()
        .map(|e| {
            let geometry = match (e.lon, e.lat) {
                (Some(lon), Some(lat)) => json!({"type": "Point", "coordinates": [lon, lat]}),
                _ => Value::Null,
            };
            json!({"type": "Feature", "id": e.id, "geometry": geometry, "properties": json_object(e)})
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features}).to_string()
}
