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
        ("Tatarstan", Some("Republic of Tatarstan")),
        ("Moscow", Some("Moscow")),
        ("Moscow region", Some("Moscow Oblast")),
        ("Moscow Oblast", Some("Moscow Oblast")),
        ("Sevastopol", Some("Sevastopol")),
        ("Zaporizhzhia Oblast", Some("Zaporizhzhia Oblast")),
        ("Zaporozhye region", Some("Zaporizhzhia Oblast")),
        ("Nikolaev region", Some("Mykolaiv Oblast")),
        ("Kharkivshchyna", Some("Kharkiv Oblast")),
        ("Харківщина", Some("Kharkiv Oblast")),
        ("Харківській області", Some("Kharkiv Oblast")),
        ("Київської області", Some("Kyiv Oblast")),
        ("Курской области", Some("Kursk Oblast")),
        ("Краснодарский край", Some("Krasnodar Krai")),
        ("Автономна Республіка Крим", Some("Crimea")),
        ("Republic of Crimea", Some("Crimea")),
        ("Donbas", Some("Donetsk Oblast")),
        ("Belgorod Oblast", Some("Belgorod Oblast")),
        ("Bryansk region", Some("Bryansk Oblast")),
        ("Rostov region", Some("Rostov Oblast")),
        ("Voronezh Oblast", Some("Voronezh Oblast")),
        ("Brest Region", Some("Brest Region")),
        ("Narnia region", None),
        ("", None),
        ("region", None),
    ]);
}

/// The mentions `find_mentions` reports in a text: (text of the span, "place NAME" of the best
/// candidate or "region NAME").
fn check_mentions(text: &str, want: &[(&str, &str)]) {
    let g = &*GAZ;
    let found: Vec<(String, String)> = g
        .find_mentions(text)
        .into_iter()
        .map(|m| {
            let what = match &m.kind {
                MentionKind::Place(c) => {
                    let id = g.resolve(c, &Context::default()).expect("candidates");
                    format!("place {}", g.place(id).name)
                }
                MentionKind::Region(r) => format!("region {}", g.region(*r).name),
            };
            (text[m.span.start..m.span.end].to_string(), what)
        })
        .collect();
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(found, want, "in {text:?}");
}

#[test]
fn mentions() {
    check_mentions(
        "Seven civilians were injured in Kharkiv, while a fire broke out in Tuapse. \
         Fighting continued in Russia's Kursk region and near Pokrovsk.",
        &[
            ("Kharkiv", "place Kharkiv"),
            ("Tuapse", "place Tuapse"),
            ("Kursk region", "region Kursk Oblast"),
            ("Pokrovsk", "place Pokrovsk"),
        ],
    );
    // Sumy city versus Sumy Oblast; a multi-word name; a hyphenated one; all capitals.
    check_mentions(
        "Missiles hit Sumy. Villages in the Sumy region and Kryvyi Rih lost power; \
         IVANO-FRANKIVSK was quiet, as was the Crimea.",
        &[
            ("Sumy", "place Sumy"),
            ("Sumy region", "region Sumy Oblast"),
            ("Kryvyi Rih", "place Kryvyi Rih"),
            ("IVANO-FRANKIVSK", "place Ivano-Frankivsk"),
            ("Crimea", "region Crimea"),
        ],
    );
    // "the Kursk and Belgorod regions": both are regions.
    check_mentions(
        "Drones were downed over the Kursk and Belgorod regions, and over Kharkiv, Sumy and Poltava oblasts.",
        &[
            ("Kursk", "region Kursk Oblast"),
            ("Belgorod regions", "region Belgorod Oblast"),
            ("Kharkiv", "region Kharkiv Oblast"),
            ("Sumy", "region Sumy Oblast"),
            ("Poltava oblasts", "region Poltava Oblast"),
        ],
    );
    // People and common words are not places.
    check_mentions(
        "Vladimir Putin spoke to Volodymyr Zelensky. Kirill Dmitriev flew in; Dmitriev said \
         Most people in Moldova agree. Is it true? A drone hit Vladimir.",
        &[("Vladimir", "place Vladimir")],
    );
    // Cyrillic, declined.
    check_mentions(
        "Вночі ворог атакував Харків і Сумщину. У Києві пролунали вибухи. \
         В Белгородской области и в Курске объявили тревогу.",
        &[
            ("Харків", "place Kharkiv"),
            ("Сумщину", "region Sumy Oblast"),
            ("Києві", "place Kyiv"),
            ("Белгородской области", "region Belgorod Oblast"),
            ("Курске", "place Kursk"),
        ],
    );
    check_mentions("", &[]);
    check_mentions("kyiv and kharkiv in lower case are not names", &[]);
}

#[test]
fn context_resolves_ambiguous_names() {
    let g = &*GAZ;
    let cands: Vec<PlaceId> = g.lookup_place("Pokrovsk");
    assert!(cands.len() >= 2, "several Pokrovsks: {cands:?}");
    let ru = Context {
        countries: vec!["RU".into()],
        ..Context::default()
    };
    let _ = g.resolve(&cands, &ru);
}

/// (name, regions named beside it, places named in the text, want place, want admin1).
type ResolveCase<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a str, &'a str);

/// A name's best place given a context built from region and place names.
fn check_resolve(cases: &[ResolveCase<'_>]) {
    let g = &*GAZ;
    let mut failures = Vec::new();
    for &(name, near, named, place, admin1) in cases {
        let ctx = Context {
            near: near.iter().filter_map(|r| g.lookup_region(r)).collect(),
            places: named
                .iter()
                .filter_map(|p| g.lookup_place(p).first().copied())
                .collect(),
            ..Context::default()
        };
        let got = g.resolve(&g.lookup_place(name), &ctx).map(|id| {
            let a = g.region_of(id).map(|r| r.name.clone()).unwrap_or_default();
            (g.place(id).name.clone(), a)
        });
        if got != Some((place.to_string(), admin1.to_string())) {
            failures.push(format!(
                "{name:?} near {near:?}: want {place}/{admin1}, got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_war_area_and_the_regions_beside_a_name_choose_among_namesakes() {
    check_resolve(&[
        // A Russian spelling that is also a Siberian city's name: the war area wins in a text
        // about it.
        ("Seversk", &[], &["Sumy"], "Siversk", "Donetsk Oblast"),
        ("Seversk", &[], &[], "Seversk", "Tomsk Oblast"),
        // Russian spellings whose current-name namesakes are small or far away.
        (
            "Konstantinovka",
            &[],
            &["Kramatorsk"],
            "Kostiantynivka",
            "Donetsk Oblast",
        ),
        (
            "Krasnoarmeysk",
            &[],
            &["Kramatorsk"],
            "Pokrovsk",
            "Donetsk Oblast",
        ),
        ("Artyomovsk", &[], &[], "Bakhmut", "Donetsk Oblast"),
        // A town's own name is not given up for a larger place's old name.
        (
            "Sloviansk",
            &[],
            &["Kramatorsk"],
            "Sloviansk",
            "Donetsk Oblast",
        ),
        (
            "Seversk",
            &["Donetsk region"],
            &[],
            "Siversk",
            "Donetsk Oblast",
        ),
        // Several Semenivkas: the region named beside the name decides.
        (
            "Semenivka",
            &["Chernihiv Oblast"],
            &[],
            "Semenivka",
            "Chernihiv Oblast",
        ),
        (
            "Semenivka",
            &["Poltava region"],
            &[],
            "Semenivka",
            "Poltava Oblast",
        ),
        (
            "Kostiantynivka",
            &["Zaporizhzhia Oblast"],
            &[],
            "Kostiantynivka",
            "Zaporizhzhia Oblast",
        ),
        (
            "Kostiantynivka",
            &[],
            &[],
            "Kostiantynivka",
            "Donetsk Oblast",
        ),
    ]);
}

#[test]
fn streets_pipelines_plants_and_routes_are_not_settlements() {
    check_mentions(
        "A drone hit a car on Sovetskaya street in Shebekino, and a shop on Kyivska Street.",
        &[("Shebekino", "place Shebekino")],
    );
    check_mentions(
        "Shelling damaged houses on вулиця Соборна and ул. Советская in Sumy.",
        &[("Sumy", "place Sumy")],
    );
    check_mentions(
        "Drones hit a pumping station of the Druzhba oil pipeline near Unecha; the Druzhba \
         was shut. Fighting continued near Druzhba.",
        &[("Unecha", "place Unecha"), ("Druzhba", "place Druzhba")],
    );
    check_mentions(
        "A transformer at the Zaporizhzhia nuclear power plant in Enerhodar was hit; the \
         Kakhovka dam was destroyed in 2023. Zaporizhzhia was shelled.",
        &[
            ("Enerhodar", "place Enerhodar"),
            ("Zaporizhzhia", "place Zaporizhzhia"),
        ],
    );
    check_mentions(
        "Russia struck the command of the Seversk-Kursk grouping; the Kharkiv–Belgorod road \
         was closed near Vovchansk.",
        &[("Vovchansk", "place Vovchansk")],
    );
}

#[test]
fn a_city_district_names_its_city() {
    check_mentions(
        "Debris fell in the Obolonskyi district and in Sviatoshynskyi district.",
        &[
            ("Obolonskyi district", "place Kyiv"),
            ("Sviatoshynskyi district", "place Kyiv"),
        ],
    );
    check_mentions(
        "A glide bomb hit the Saltivskyi district. In Sumy's Zarichnyi district a house burned.",
        &[
            ("Saltivskyi district", "place Kharkiv"),
            ("Sumy", "place Sumy"),
            ("Zarichnyi district", "place Sumy"),
        ],
    );
}

/// A user's TSV with one bad line: the error names the line and column.
fn check_tsv_error(body: &str, line: usize, column: Option<&str>, message_part: &str) {
    let tsv = format!("geonameid\tname\tlat\tlon\tcountry\tadmin1_code\tpopulation\n{body}");
    let e = Gazetteer::from_tsv(&tsv).expect_err(body);
    assert_eq!((e.line, e.column.as_deref()), (line, column), "{e}");
    assert!(e.to_string().contains(message_part), "{e}");
}

#[test]
fn tsv_errors() {
    check_tsv_error(
        "1\tA\t50\t30\tUA\tUA.07\t10\nx\tB\t50\t30\tUA\tUA.07\t10\n",
        3,
        Some("geonameid"),
        "not a number",
    );
    check_tsv_error("1\tA\t91\t30\tUA\tUA.07\t10\n", 2, Some("lat"), "lat");
    check_tsv_error(
        "1\tA\t50\t30\tUkraine\tUA.07\t10\n",
        2,
        Some("country"),
        "ISO 3166-1",
    );
    check_tsv_error(
        "1\tA\t50\t30\tUA\tUA.07\tmany\n",
        2,
        Some("population"),
        "whole number",
    );
    check_tsv_error("1\tA\t50\t30\tUA\n", 2, None, "expected 7");
    check_tsv_error("1\t\t50\t30\tUA\tUA.07\t1\n", 2, Some("name"), "empty name");
    let e = Gazetteer::from_tsv("name\tlat\n").expect_err("no id column");
    assert_eq!((e.line, e.column.as_deref()), (1, Some("geonameid")));
    assert!(Gazetteer::from_tsv("").is_err());
}

#[test]
fn embedded_loads_every_unit() {
    let g = &*GAZ;
    assert!(g.places().len() > 17_000);
    for r in g.regions() {
        assert!(!r.name.is_empty() && r.country.len() == 2, "{r:?}");
    }
    for name in [
        "Kharkiv Oblast",
        "Kyiv",
        "Crimea",
        "Sevastopol",
        "Krasnodar Krai",
        "Moscow",
        "Moscow Oblast",
    ] {
        assert!(g.regions().iter().any(|r| r.name == name), "{name}");
    }
    let sumy = g
        .lookup_region("Sumy Oblast")
        .map(|r| g.region(r))
        .expect("Sumy Oblast");
    assert_eq!(sumy.iso.as_deref(), Some("UA-59"));
    assert!(
        (50.0..52.5).contains(&sumy.lat) && (33.0..35.5).contains(&sumy.lon),
        "{sumy:?}"
    );
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

#[test]
fn from_tsv_of_the_shipped_file_matches_the_embedded_index() {
    let tsv = include_str!("../../../data/gazetteer/gazetteer_ua_ru_neighbours.tsv");
    let g = Gazetteer::from_tsv(tsv).expect("the shipped file parses");
    let e = &*GAZ;
    assert_eq!(g.places(), e.places());
    assert_eq!(g.regions(), e.regions());
    for name in ["Kiev", "Харкова", "Pokrovsk", "Sumy region", "Oktyabrsky"] {
        assert_eq!(g.lookup_place(name), e.lookup_place(name), "{name}");
        assert_eq!(g.lookup_region(name), e.lookup_region(name), "{name}");
    }
    let text = "Drones hit Kharkiv and the Kursk region; Vladimir Putin spoke.";
    assert_eq!(g.find_mentions(text), e.find_mentions(text));
}

#[test]
fn random_texts_give_valid_spans() {
    let pieces = [
        "Kyiv",
        "Kharkiv",
        " ",
        "-",
        "'",
        "’",
        "s",
        "region",
        "Oblast",
        "oblasts",
        " and ",
        ", ",
        "Харків",
        "області",
        "Сумщину",
        "Київ'",
        "ʼ",
        "Vladimir",
        "Putin",
        ". ",
        "\u{a0}",
        "Rih",
        "Kryvyi",
        "😀",
        "É",
        "ß",
        "St",
        "Petersburg",
        "\n",
        "Ivano",
        "Frankivsk",
        "Kursk",
        "the",
        "X",
        "1",
        "\u{0}",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let g = &*GAZ;
    for _ in 0..3000 {
        let mut s = String::new();
        for _ in 0..(state % 25) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            s.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        let mut last = 0;
        for m in g.find_mentions(&s) {
            assert!(
                m.span.start >= last && m.span.start < m.span.end && m.span.end <= s.len(),
                "{s:?}"
            );
            assert!(
                s.is_char_boundary(m.span.start) && s.is_char_boundary(m.span.end),
                "{s:?}"
            );
            last = m.span.end;
            match &m.kind {
                MentionKind::Place(c) => {
                    assert!(!c.is_empty() && g.resolve(c, &Context::default()).is_some())
                }
                MentionKind::Region(r) => assert!((r.0 as usize) < g.regions().len()),
            }
        }
        let _ = g.lookup_place(&s);
        let _ = g.lookup_region(&s);
    }
}

#[test]
fn gazetteer_is_send_sync_and_debug_is_short() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Gazetteer>();
    let d = format!("{:?}", &*GAZ);
    assert!(d.len() < 200 && d.contains("places"), "{d}");
}
