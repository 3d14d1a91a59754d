//! Integration tests for truce-gazetteer (one binary; data-driven check helpers).

use std::sync::LazyLock;

use truce_gazetteer::{Context, Gazetteer, MentionKind, PlaceId};

static GAZ: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::embedded);

/// A name's best place (after resolve with an empty context): (place, admin1, country).
fn check_place(cases: &[(&str, &str, &str, &str)]) {
    let g = &*GAZ;
    let mut failures = Vec::new();
    for &(query, place, admin1, country) in cases {
        let cands = g.lookup_place(query);
        let got = g.resolve(&cands, &Context::default()).map(|id| {
            let p = g.place(id);
            let a = g.region_of(id).map(|r| r.name.clone()).unwrap_or_default();
            (p.name.clone(), a, p.country.clone())
        });
        let want = (place.to_string(), admin1.to_string(), country.to_string());
        if got.as_ref() != Some(&want) {
            failures.push(format!("{query:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn check_region(cases: &[(&str, Option<&str>)]) {
    let g = &*GAZ;
    let mut failures = Vec::new();
    for &(query, want) in cases {
        let got = g.lookup_region(query).map(|r| g.region(r).name.as_str());
        if got != want {
            failures.push(format!("{query:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn places() {
    check_place(&[
        ("Kyiv", "Kyiv", "Kyiv", "UA"),
        ("Kiev", "Kyiv", "Kyiv", "UA"),
        ("Київ", "Kyiv", "Kyiv", "UA"),
        ("Києві", "Kyiv", "Kyiv", "UA"),
        ("Киеве", "Kyiv", "Kyiv", "UA"),
        ("Kharkiv", "Kharkiv", "Kharkiv Oblast", "UA"),
        ("Kharkov", "Kharkiv", "Kharkiv Oblast", "UA"),
        ("Харкова", "Kharkiv", "Kharkiv Oblast", "UA"),
        ("Харькове", "Kharkiv", "Kharkiv Oblast", "UA"),
        ("Odessa", "Odesa", "Odesa Oblast", "UA"),
        ("Odesa", "Odesa", "Odesa Oblast", "UA"),
        ("Pokrovsk", "Pokrovsk", "Donetsk Oblast", "UA"),
        ("Покровську", "Pokrovsk", "Donetsk Oblast", "UA"),
        ("Kupiansk", "Kupiansk", "Kharkiv Oblast", "UA"),
        ("Kupyansk", "Kupiansk", "Kharkiv Oblast", "UA"),
        ("Avdiivka", "Avdiivka", "Donetsk Oblast", "UA"),
        ("Huliaipole", "Huliaipole", "Zaporizhzhia Oblast", "UA"),
        ("Kostiantynivka", "Kostiantynivka", "Donetsk Oblast", "UA"),
        ("Zaporizhzhia", "Zaporizhzhia", "Zaporizhzhia Oblast", "UA"),
        ("Mykolaiv", "Mykolaiv", "Mykolaiv Oblast", "UA"),
        ("Sumy", "Sumy", "Sumy Oblast", "UA"),
        ("Tuapse", "Tuapse", "Krasnodar Krai", "RU"),
        ("Sudzha", "Sudzha", "Kursk Oblast", "RU"),
        ("Belgorod", "Belgorod", "Belgorod Oblast", "RU"),
        ("Moscow", "Moscow", "Moscow", "RU"),
        ("Sevastopol", "Sevastopol", "Sevastopol", "UA"),
        ("Simferopol", "Simferopol", "Crimea", "UA"),
        ("Chasiv Yar", "Chasiv Yar", "Donetsk Oblast", "UA"),
        (
            "Ivano-Frankivsk",
            "Ivano-Frankivsk",
            "Ivano-Frankivsk Oblast",
            "UA",
        ),
    ]);
}

#[test]
fn regions() {
    check_region(&[
        ("Kursk", Some("Kursk Oblast")),
        ("Kursk region", Some("Kursk Oblast")),
        ("Kursk Oblast", Some("Kursk Oblast")),
        ("Sumy oblast", Some("Sumy Oblast")),
        ("Krasnodar Krai", Some("Krasnodar Krai")),
        ("Krasnodar region", Some("Krasnodar Krai")),
        ("Kharkivska oblast", Some("Kharkiv Oblast")),
        ("Dnipropetrovsk region", Some("Dnipropetrovsk Oblast")),
        ("Харківська область", Some("Kharkiv Oblast")),
        ("Донецкой области", Some("Donetsk Oblast")),
        ("Crimea", Some("Crimea")),
        ("Kyiv", Some("Kyiv")),
        ("Kyiv region", Some("Kyiv Oblast")),
        ("Republic of Tatarstan", Some("Republic of Tatarstan")),
        ("Narnia region", None),
    ]);
}

#[test]
fn mentions_in_a_sentence() {
    let g = &*GAZ;
    let text = "Seven civilians were injured in Kharkiv, while a fire broke out in Tuapse. \
                Fighting continued in Russia's Kursk region and near Pokrovsk.";
    let found: Vec<(String, String)> = g
        .find_mentions(text)
        .into_iter()
        .map(|m| {
            let what = match &m.kind {
                MentionKind::Place(c) => format!("place {}", g.place(c[0]).name),
                MentionKind::Region(r) => format!("region {}", g.region(*r).name),
            };
            (text[m.span.start..m.span.end].to_string(), what)
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("Kharkiv", "place Kharkiv"),
        ("Tuapse", "place Tuapse"),
        ("Kursk region", "region Kursk Oblast"),
        ("Pokrovsk", "place Pokrovsk"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(found, want);
}

#[test]
fn context_resolves_ambiguous_names() {
    let g = &*GAZ;
    let cands: Vec<PlaceId> = g.lookup_place("Pokrovsk");
    assert!(cands.len() >= 2, "several Pokrovsks: {cands:?}");
    let ru = Context {
        regions: vec![],
        countries: vec!["RU".into()],
    };
    let _ = g.resolve(&cands, &ru);
}

#[test]
fn from_tsv_names_line_and_column() {
    let bad = "geonameid\tname\tlat\tlon\tcountry\tadmin1_code\n1\tA\t50.0\t30.0\tUA\tUA.07\n2\tB\tnorth\t30.0\tUA\tUA.07\n";
    let e = Gazetteer::from_tsv(bad).unwrap_err();
    assert_eq!(e.line, 3);
    assert_eq!(e.column.as_deref(), Some("lat"));
    let ok = "geonameid\tname\tlat\tlon\tcountry\tadmin1_code\tpopulation\n1\tTestville\t50.0\t30.0\tUA\tUA.07\t10\n";
    let g = Gazetteer::from_tsv(ok).unwrap();
    let id = g.lookup_place("testville")[0];
    assert_eq!(
        g.region_of(id).map(|r| r.name.as_str()),
        Some("Kharkiv Oblast")
    );
}
