//! Exports: CSV escaping, GeoJSON validity, JSON Lines.

use truce_ingest::export::{self, ExportEvent, ExportVerdict};
use truce_model::{DatePrecision, GeoPrecision, NaiveDate, Side};

fn event(id: &str, notes: &str, located: bool) -> ExportEvent {
    ExportEvent {
        id: id.into(),
        date: NaiveDate::from_ymd_opt(2025, 4, 13),
        date_precision: DatePrecision::Day,
        perpetrator: Side::Ru,
        actor2: "Civilians (Ukraine)".into(),
        country: Some("UA".into()),
        admin1: Some("Sumy Oblast".into()),
        location: Some("Sumy".into()),
        lat: located.then_some(50.9077),
        lon: located.then_some(34.7981),
        geo_precision: located.then_some(GeoPrecision::Settlement),
        weapons: vec!["ballistic_missile".into()],
        targets: vec!["civilian".into()],
        fatalities_low: Some(34),
        fatalities_best: Some(35),
        fatalities_high: Some(35),
        injured: Some(117),
        sources: vec!["https://example.org/a".into(), "wire, 13 April".into()],
        notes: notes.into(),
        verdicts: vec![
            ExportVerdict {
                agreement: "energy".into(),
                verdict: "not_applicable".into(),
                strength: None,
                reason: "target not protected".into(),
            },
            ExportVerdict {
                agreement: "general".into(),
                verdict: "violation_alleged".into(),
                strength: Some("corroborated".into()),
                reason: "in force".into(),
            },
        ],
    }
}

fn check_csv(notes: &str, want_cell: &str) {
    let mut out = Vec::new();
    export::write_csv(&mut out, &[event("e1", notes, true)]).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.split("\r\n");
    assert_eq!(lines.next().unwrap(), export::CSV_COLUMNS.join(","));
    let row = lines.collect::<Vec<_>>().join("\r\n");
    assert!(
        row.contains(&format!(",{want_cell},")),
        "cell {want_cell} not in {row}"
    );
    assert!(row.starts_with("e1,2025-04-13,1,Military Forces of Russia,Civilians (Ukraine),UA,Sumy Oblast,Sumy,50.9077,34.7981,1,34,35,35,117,"), "{row}");
    assert!(row.ends_with(",energy=not_applicable; general=violation_alleged/corroborated,general,corroborated\r\n"), "{row}");
}

#[test]
fn csv_quotes_what_needs_quoting() {
    check_csv("plain words", "plain words");
    check_csv("a, b", "\"a, b\"");
    check_csv("he said \"no\"", "\"he said \"\"no\"\"\"");
    check_csv("two\nlines", "\"two\nlines\"");
    check_csv("=HYPERLINK(1)", "\"=HYPERLINK(1)\"");
    check_csv("-12", "-12");
}

#[test]
fn geojson_is_a_feature_collection_with_lon_lat_points() {
    let mut out = Vec::new();
    let n = export::write_geojson(&mut out, &[event("e1", "x", true), event("e2", "y", false)])
        .unwrap();
    assert_eq!(n, 2);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let f = v["features"].as_array().unwrap();
    assert_eq!(f[0]["type"], "Feature");
    assert_eq!(f[0]["geometry"]["type"], "Point");
    assert_eq!(
        f[0]["geometry"]["coordinates"],
        serde_json::json!([34.7981, 50.9077])
    );
    assert_eq!(f[0]["properties"]["fatalities_best"], 35);
    assert_eq!(
        f[0]["properties"]["truce_verdicts"][1]["strength"],
        "corroborated"
    );
    assert!(f[1]["geometry"].is_null());
    let mut empty = Vec::new();
    export::write_geojson(&mut empty, &[]).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&empty).unwrap();
    assert_eq!(v["features"].as_array().unwrap().len(), 0);
}

#[test]
fn jsonl_is_one_object_per_line() {
    let mut out = Vec::new();
    export::write_jsonl(
        &mut out,
        &[event("e1", "a\nb", true), event("e2", "c", false)],
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["notes"], "a\nb");
    assert_eq!(v["latitude"], 50.9077);
    let v: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert!(v["latitude"].is_null());
}
