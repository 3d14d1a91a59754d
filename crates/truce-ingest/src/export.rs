//! Exports of events with their verdicts: CSV with ACLED-like columns, GeoJSON and JSON Lines.
//!
//! Pure: the caller turns store rows into [`ExportEvent`]s and hands a writer.
//!
//! Precision codes follow ACLED's: `time_precision` 1 = the day is known, 2 = a range of days
//! or a week, 3 = only the month; `geo_precision` 1 = the settlement, 2 = near a settlement or
//! in a district, 3 = only the region (admin1) or country.

use std::io::{self, Write};

use serde_json::{Value, json};
use truce_model::{DatePrecision, GeoPrecision, NaiveDate, Side};

/// One event's verdict on one agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportVerdict {
    pub agreement: String,
    pub verdict: String,
    pub strength: Option<String>,
    pub reason: String,
}

/// An event as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportEvent {
    pub id: String,
    pub date: Option<NaiveDate>,
    pub date_precision: DatePrecision,
    pub perpetrator: Side,
    /// Who or what was hit, ACLED-style (`Civilians (Ukraine)`), empty if unknown.
    pub actor2: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub location: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geo_precision: Option<GeoPrecision>,
    pub weapons: Vec<String>,
    pub targets: Vec<String>,
    pub fatalities_low: Option<u64>,
    pub fatalities_best: Option<u64>,
    pub fatalities_high: Option<u64>,
    pub injured: Option<u64>,
    /// Sources (URLs or names) of the reports merged into the event.
    pub sources: Vec<String>,
    /// A short description (the evidence sentence of the first report).
    pub notes: String,
    pub verdicts: Vec<ExportVerdict>,
}

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
    "geo_precision",
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
    "truce_strongest",
];

/// ACLED's time precision code.
pub fn time_precision(p: DatePrecision, has_date: bool) -> u8 {
    match (p, has_date) {
        (DatePrecision::Day, true) => 1,
        (DatePrecision::Month, true) => 3,
        _ => 3,
    }
}

/// ACLED's geo precision code (empty when nothing is known of the place).
pub fn geo_precision(p: Option<GeoPrecision>) -> Option<u8> {
    p.map(|p| match p {
        GeoPrecision::Settlement => 1,
        GeoPrecision::Admin1 | GeoPrecision::Country => 3,
    })
}

/// ACLED-style name of a side's forces.
pub fn actor1(s: Side) -> &'static str {
    match s {
        Side::Ru => "Military Forces of Russia",
        Side::Ua => "Military Forces of Ukraine",
        Side::Unknown => "Unidentified Armed Group",
    }
}

fn strength_rank(s: Option<&str>) -> u8 {
    match s {
        Some("analyst_reviewed") => 4,
        Some("corroborated") => 3,
        Some("contested") => 2,
        Some("one_party_claim") => 1,
        _ => 0,
    }
}

fn violations(e: &ExportEvent) -> Vec<&ExportVerdict> {
    e.verdicts
        .iter()
        .filter(|v| v.verdict == "violation_alleged")
        .collect()
}

fn strongest(e: &ExportEvent) -> String {
    violations(e)
        .into_iter()
        .max_by_key(|v| strength_rank(v.strength.as_deref()))
        .and_then(|v| v.strength.clone())
        .unwrap_or_default()
}

fn opt<T: ToString>(x: Option<T>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

/// The CSV cells of one event, in [`CSV_COLUMNS`] order.
pub fn csv_cells(e: &ExportEvent) -> Vec<String> {
    let verdicts: Vec<String> = e
        .verdicts
        .iter()
        .map(|v| match &v.strength {
            Some(s) => format!("{}={}/{}", v.agreement, v.verdict, s),
            None => format!("{}={}", v.agreement, v.verdict),
        })
        .collect();
    let violated: Vec<&str> = violations(e).iter().map(|v| v.agreement.as_str()).collect();
    vec![
        e.id.clone(),
        opt(e.date.map(|d| d.format("%Y-%m-%d"))),
        time_precision(e.date_precision, e.date.is_some()).to_string(),
        actor1(e.perpetrator).to_string(),
        e.actor2.clone(),
        opt(e.country.as_deref()),
        opt(e.admin1.as_deref()),
        opt(e.location.as_deref()),
        opt(e.lat),
        opt(e.lon),
        opt(geo_precision(e.geo_precision)),
        opt(e.fatalities_low),
        opt(e.fatalities_best),
        opt(e.fatalities_high),
        opt(e.injured),
        e.weapons.join(";"),
        e.targets.join(";"),
        e.sources.join("; "),
        e.notes.clone(),
        verdicts.join("; "),
        violated.join(";"),
        strongest(e),
    ]
}

/// One CSV field, quoted when it holds a comma, quote, CR or LF (RFC 4180), quotes doubled.
/// A leading `=`, `+`, `-` or `@` is kept: the export is data, not a spreadsheet formula, but
/// such cells are quoted so spreadsheet users see them as text.
pub fn csv_field(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '@']) || (s.starts_with('-') && s.parse::<f64>().is_err());
    if risky || s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_line(cells: &[String]) -> String {
    let mut line = cells
        .iter()
        .map(|c| csv_field(c))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// Writes the CSV header line.
pub fn write_csv_header<W: Write>(out: &mut W) -> io::Result<()> {
    let header: Vec<String> = CSV_COLUMNS.iter().map(|s| s.to_string()).collect();
    out.write_all(csv_line(&header).as_bytes())
}

/// Writes one event as a CSV line.
pub fn write_csv_row<W: Write>(out: &mut W, e: &ExportEvent) -> io::Result<()> {
    out.write_all(csv_line(&csv_cells(e)).as_bytes())
}

/// Writes the events as CSV (header first, CRLF line ends as RFC 4180 says).
pub fn write_csv<'a, W: Write>(
    out: &mut W,
    events: impl IntoIterator<Item = &'a ExportEvent>,
) -> io::Result<u64> {
    write_csv_header(out)?;
    let mut n = 0;
    for e in events {
        write_csv_row(out, e)?;
        n += 1;
    }
    Ok(n)
}

/// The event as a JSON object (the JSON Lines row and the GeoJSON feature's properties).
pub fn json_object(e: &ExportEvent) -> Value {
    let mut m = serde_json::Map::new();
    for (k, v) in CSV_COLUMNS.iter().zip(csv_cells(e)) {
        m.insert((*k).to_string(), Value::String(v));
    }
    // Numbers as numbers, lists as lists, verdicts in full.
    let num = |x: Option<u64>| x.map(Value::from).unwrap_or(Value::Null);
    let f = |x: Option<f64>| {
        x.and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    };
    m.insert(
        "time_precision".into(),
        json!(time_precision(e.date_precision, e.date.is_some())),
    );
    m.insert(
        "geo_precision".into(),
        geo_precision(e.geo_precision)
            .map(Value::from)
            .unwrap_or(Value::Null),
    );
    m.insert("latitude".into(), f(e.lat));
    m.insert("longitude".into(), f(e.lon));
    m.insert("fatalities_low".into(), num(e.fatalities_low));
    m.insert("fatalities_best".into(), num(e.fatalities_best));
    m.insert("fatalities_high".into(), num(e.fatalities_high));
    m.insert("injured".into(), num(e.injured));
    m.insert("weapons".into(), json!(e.weapons));
    m.insert("targets".into(), json!(e.targets));
    m.insert("sources".into(), json!(e.sources));
    m.insert("perpetrator".into(), json!(e.perpetrator.as_str()));
    m.insert(
        "truce_verdicts".into(),
        Value::Array(
            e.verdicts
                .iter()
                .map(|v| json!({"agreement": v.agreement, "verdict": v.verdict, "strength": v.strength, "reason": v.reason}))
                .collect(),
        ),
    );
    m.insert(
        "truce_violation_alleged".into(),
        json!(
            violations(e)
                .iter()
                .map(|v| v.agreement.clone())
                .collect::<Vec<_>>()
        ),
    );
    Value::Object(m)
}

/// Writes one event as a JSON Lines row.
pub fn write_jsonl_row<W: Write>(out: &mut W, e: &ExportEvent) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &json_object(e))?;
    out.write_all(b"\n")
}

/// Writes one JSON object per line.
pub fn write_jsonl<'a, W: Write>(
    out: &mut W,
    events: impl IntoIterator<Item = &'a ExportEvent>,
) -> io::Result<u64> {
    let mut n = 0;
    for e in events {
        write_jsonl_row(out, e)?;
        n += 1;
    }
    Ok(n)
}

/// Opens a GeoJSON FeatureCollection.
pub fn write_geojson_start<W: Write>(out: &mut W) -> io::Result<()> {
    out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")
}

/// Writes one event as a Point feature (`[longitude, latitude]`; `geometry: null` when the
/// event has no coordinates); `first` is true for the first feature.
pub fn write_geojson_feature<W: Write>(
    out: &mut W,
    e: &ExportEvent,
    first: bool,
) -> io::Result<()> {
    out.write_all(if first { b"\n" } else { b",\n" })?;
    let geometry = match (e.lon, e.lat) {
        (Some(lon), Some(lat)) if lon.is_finite() && lat.is_finite() => {
            json!({"type": "Point", "coordinates": [lon, lat]})
        }
        _ => Value::Null,
    };
    let feature =
        json!({"type": "Feature", "id": e.id, "geometry": geometry, "properties": json_object(e)});
    serde_json::to_writer(&mut *out, &feature)?;
    Ok(())
}

/// Closes the FeatureCollection.
pub fn write_geojson_end<W: Write>(out: &mut W) -> io::Result<()> {
    out.write_all(b"\n]}\n")
}

/// Writes a GeoJSON FeatureCollection (RFC 7946) of the events.
pub fn write_geojson<'a, W: Write>(
    out: &mut W,
    events: impl IntoIterator<Item = &'a ExportEvent>,
) -> io::Result<u64> {
    write_geojson_start(out)?;
    let mut n = 0;
    for e in events {
        write_geojson_feature(out, e, n == 0)?;
        n += 1;
    }
    write_geojson_end(out)?;
    Ok(n)
}
