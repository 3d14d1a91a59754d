//! Benchmark: merge 300,000 incidents (100,000 strikes over 100 days at 2,942 places, each
//! reported by three outlets). Run with `cargo bench -p truce-events`; prints the figure.

use std::hint::black_box;
use std::time::Instant;

use truce_events::{Source, SourcedIncident, merge};
use truce_model::{
    Casualties, DatePrecision, Evidence, Incident, NaiveDate, Reporter, Side, Target, Weapon,
};

fn main() {
    let start = NaiveDate::from_ymd_opt(2025, 3, 1).expect("date");
    let mut incidents = Vec::new();
    for strike in 0..100_000u64 {
        // Strikes at one place are three days apart.
        let day = start + chrono::Days::new((strike % 34) * 3);
        let place = format!("Place{}", strike / 34);
        let variant = strike % 7;
        for outlet in 0..3u64 {
            incidents.push(SourcedIncident {
                incident: Incident {
                    date: Some(day),
                    date_precision: DatePrecision::Day,
                    place: Some(place.clone()),
                    admin1: Some("Region".to_string()),
                    country: Some("UA".to_string()),
                    lat: None,
                    lon: None,
                    geo_precision: None,
                    perpetrator: if variant % 2 == 0 { Side::Ru } else { Side::Ua },
                    reported_by: [Reporter::Ua, Reporter::Media, Reporter::Ru][outlet as usize],
                    weapons: vec![Weapon::Drone],
                    targets: vec![Target::ALL[(variant / 2) as usize % 6]],
                    killed: Casualties::default(),
                    injured: Casualties::default(),
                    evidence: Evidence::default(),
                },
                source: Source {
                    document_id: format!("doc{strike}-{outlet}"),
                    outlet: format!("outlet{outlet}"),
                    published: None,
                },
                index: 0,
            });
        }
    }
    let t = Instant::now();
    let events = merge(black_box(&incidents));
    let took = t.elapsed().as_secs_f64();
    assert_eq!(events.len(), 100_000);
    println!(
        "merge: {} incidents -> {} events in {:.3} s ({:.0} incidents/s)",
        incidents.len(),
        events.len(),
        took,
        incidents.len() as f64 / took
    );
}
