//! The coder against hand-coded gold (the seeds and corpus/dev), table tests for its parts,
//! and random input.

use std::path::{Path, PathBuf};

use truce_coder::{Coder, Input};
use truce_eval::{Case, Report};
use truce_gazetteer::Gazetteer;
use truce_lexicon::Lexicon;
use truce_model::{CodedDocument, NaiveDate};
use truce_wire::record::GoldDoc;

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds")
}

fn dev_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/dev")
}

struct Scored {
    report: Report,
    /// Per document: (file, gold, coded).
    docs: Vec<(String, truce_wire::record::Gold, CodedDocument)>,
}

/// Codes every text of a gold file and scores it.
fn evaluate(dir: &Path) -> Option<Scored> {
    let gold = std::fs::read_to_string(dir.join("gold.jsonl")).ok()?;
    let gaz = Gazetteer::embedded();
    let lex = Lexicon::embedded();
    let coder = Coder::new(&gaz, &lex);
    let mut docs = Vec::new();
    for (n, line) in gold
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let g: GoldDoc =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("gold line {}: {e}", n + 1));
        let text = std::fs::read_to_string(dir.join(&g.file))
            .unwrap_or_else(|e| panic!("{}: {e}", g.file));
        let gold = g
            .to_model(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", g.file));
        let format = if g.file.ends_with(".html") {
            truce_coder::Format::Html
        } else {
            truce_coder::Format::Text
        };
        let coded = coder.code(&Input {
            text: &text,
            published: gold.published,
            format: Some(format),
            ..Input::default()
        });
        docs.push((g.file.clone(), gold, coded));
    }
    let cases: Vec<Case> = docs
        .iter()
        .map(|(f, g, c)| Case {
            document: f,
            gold_incidents: &g.incidents,
            gold_statements: &g.statements,
            incidents: &c.incidents,
            statements: &c.statements,
        })
        .collect();
    let report = truce_eval::score(&cases);
    Some(Scored { report, docs })
}

fn show(r: &Report) -> String {
    let mut s = format!(
        "incidents P={:.2} R={:.2} F1={:.2}; statements P={:.2} R={:.2} F1={:.2}; fields {:.3}\n",
        r.incidents.precision(),
        r.incidents.recall(),
        r.incidents.f1(),
        r.statements.precision(),
        r.statements.recall(),
        r.statements.f1(),
        r.field_accuracy()
    );
    for f in &r.fields {
        s += &format!("  {:<12} {}/{}\n", f.field, f.correct, f.total);
    }
    for m in &r.misses {
        s += &format!(
            "MISS  {} {:?} {} | {}\n",
            m.document,
            m.kind,
            m.summary,
            m.evidence.replace('\n', " ")
        );
    }
    for m in &r.false_alarms {
        s += &format!(
            "FALSE {} {:?} {} | {}\n",
            m.document,
            m.kind,
            m.summary,
            m.evidence.replace('\n', " ")
        );
    }
    for e in &r.field_errors {
        s += &format!(
            "FIELD {} {} gold={} coded={} | {}\n",
            e.document,
            e.field,
            e.gold,
            e.coded,
            e.evidence.replace('\n', " ")
        );
    }
    s
}

#[test]
fn seeds_come_out_as_gold_codes_them() {
    let scored = evaluate(&seeds_dir()).expect("seed corpus present");
    let r = &scored.report;
    eprintln!("{}", show(r));
    // Every incident found, nothing else, every field right.
    assert_eq!(
        (
            r.incidents.true_positives,
            r.incidents.false_positives,
            r.incidents.false_negatives
        ),
        (4, 0, 0),
        "{}",
        show(r)
    );
    assert!((r.field_accuracy() - 1.0).abs() < 1e-9, "{}", show(r));
    assert!(r.statements.true_positives >= 15, "{}", show(r));
    for (_, _, coded) in &scored.docs {
        for i in &coded.incidents {
            assert!(!i.evidence.text.is_empty());
        }
    }
}

#[test]
fn dev_set_meets_the_bars() {
    let Some(scored) = evaluate(&dev_dir()) else {
        panic!("corpus/dev/gold.jsonl missing");
    };
    let r = &scored.report;
    eprintln!("{}", show(r));
    assert!(r.documents >= 40, "only {} dev documents", r.documents);
    // Floors just under today's scores on the 177 texts (the brief's bars: 0.9, 0.9, 0.75).
    // Texts 150-164 were written to measure unseen statement writing (untuned 0.300, 0.514 after
    // one session), and they pulled the whole set to 0.715 (0.745 after the structural statement
    // passes, 0.754 after the modal, title and quotation passes); the first 147 texts alone
    // scored 0.768.
    assert!(r.incidents.f1() >= 0.935, "{}", show(r));
    assert!(r.field_accuracy() >= 0.95, "{}", show(r));
    assert!(r.statements.f1() >= 0.75, "{}", show(r));
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn code(text: &str, published: &str) -> CodedDocument {
    let gaz = Gazetteer::embedded();
    let lex = Lexicon::embedded();
    Coder::new(&gaz, &lex).code(&Input::new(text, date(published)))
}

/// Codes a short text (written for these tests) and checks its single incident's fields,
/// given as `field=value` pairs in the contract's spelling.
fn check(text: &str, published: &str, want: &[(&str, &str)]) {
    let d = code(text, published);
    assert_eq!(d.incidents.len(), 1, "{text}\n{:#?}", d.incidents);
    let i = &d.incidents[0];
    let count = |c: &truce_model::Casualties| match c.count {
        Some(c) => format!("{} {}", c.n, c.q),
        None => "null".to_string(),
    };
    for (field, value) in want {
        let got = match *field {
            "date" => i
                .date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "null".into()),
            "precision" => i.date_precision.to_string(),
            "place" => i.place.clone().unwrap_or_else(|| "null".into()),
            "admin1" => i.admin1.clone().unwrap_or_else(|| "null".into()),
            "country" => i.country.clone().unwrap_or_else(|| "null".into()),
            "perpetrator" => i.perpetrator.to_string(),
            "reported_by" => i.reported_by.to_string(),
            "weapons" => i
                .weapons
                .iter()
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
                .join(","),
            "targets" => i
                .targets
                .iter()
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
                .join(","),
            "killed" => count(&i.killed),
            "injured" => count(&i.injured),
            "killed_low" => i
                .killed
                .vague_low
                .map(|v| v.to_string())
                .unwrap_or_else(|| "null".into()),
            other => panic!("unknown field {other}"),
        };
        assert_eq!(got, *value, "{field} of {text:?}");
    }
    let e = &i.evidence;
    assert_eq!(&text[e.span.start..e.span.end], e.text);
}

#[test]
fn dates_resolve_against_publication() {
    // 2025-03-14 is a Friday.
    check(
        "On Thursday a Russian drone hit a house in Kharkiv.",
        "2025-03-14",
        &[("date", "2025-03-13")],
    );
    check(
        "Russian drones attacked Odesa overnight.",
        "2025-03-14",
        &[("date", "2025-03-14")],
    );
    check(
        "A missile struck Dnipro on 7 March, officials said.",
        "2025-03-14",
        &[("date", "2025-03-07")],
    );
    check(
        "A missile struck Dnipro on March 7, officials said.",
        "2025-03-14",
        &[("date", "2025-03-07")],
    );
    check(
        "On the night of 7-8 March drones attacked Sumy.",
        "2025-03-14",
        &[("date", "2025-03-08")],
    );
    check(
        "Drones hit Poltava on Sunday morning.",
        "2025-03-14",
        &[("date", "2025-03-09")],
    );
    check(
        "Shelling hit Kherson late last night.",
        "2025-03-14",
        &[("date", "2025-03-13")],
    );
    check(
        "A strike hit Kherson on 30 December.",
        "2025-01-02",
        &[("date", "2024-12-30")],
    );
    check(
        "In March, Ukrainian drones hit the refinery in Tuapse.",
        "2025-04-10",
        &[("date", "2025-03-01"), ("precision", "month")],
    );
}

#[test]
fn casualties_read_numbers_qualifiers_and_subcounts() {
    check(
        "Russian missiles hit Sumy on Sunday, killing at least 35 people, including two children, and injuring more than 100.",
        "2025-04-14",
        &[("killed", "35 at_least"), ("injured", "100 more_than")],
    );
    check(
        "Seven civilians were injured when drones hit Kharkiv overnight.",
        "2025-03-14",
        &[("injured", "7 exact"), ("targets", "civilian")],
    );
    check(
        "Drone debris fell on a house in Tuapse overnight. No one was hurt.",
        "2025-03-14",
        &[("injured", "0 exact"), ("killed", "0 exact")],
    );
    check(
        "A Russian drone hit a car near Kherson on Monday, killing the driver.",
        "2025-03-14",
        &[("killed", "1 exact")],
    );
    check(
        "Shelling of Nikopol on Tuesday killed about 12 and wounded up to 40.",
        "2025-03-14",
        &[("killed", "12 approx"), ("injured", "40 up_to")],
    );
    check(
        "A strike on Zaporizhzhia on Tuesday killed dozens of people.",
        "2025-03-14",
        &[("killed", "null"), ("killed_low", "12")],
    );
    check(
        "A missile hit Kryvyi Rih on Friday. The death toll from the strike on Kryvyi Rih has since risen to 20.",
        "2025-04-06",
        &[("killed", "20 exact")],
    );
}

#[test]
fn who_did_it_versus_who_says_so() {
    check(
        "Russia fired two Iskander missiles at Odesa on Friday.",
        "2025-03-14",
        &[
            ("perpetrator", "RU"),
            ("weapons", "ballistic_missile"),
            ("reported_by", "media"),
        ],
    );
    check(
        "Russia claimed a fire broke out at an oil depot in Tuapse on Friday following a Ukrainian strike.",
        "2025-03-14",
        &[
            ("perpetrator", "UA"),
            ("reported_by", "RU"),
            ("targets", "energy"),
            ("country", "RU"),
        ],
    );
    check(
        "A Shahed drone hit a substation in Sumy on Friday, the regional governor said.",
        "2025-03-14",
        &[
            ("perpetrator", "RU"),
            ("reported_by", "UA"),
            ("weapons", "drone"),
            ("targets", "energy"),
        ],
    );
    check(
        "Guided aerial bombs hit Kramatorsk on Friday, Ukraine's air force said.",
        "2025-03-14",
        &[("weapons", "glide_bomb"), ("reported_by", "UA")],
    );
}

#[test]
fn places_and_regions() {
    check(
        "Drones hit a gas metering station in Kursk region on Friday.",
        "2025-03-14",
        &[
            ("place", "null"),
            ("admin1", "Kursk Oblast"),
            ("country", "RU"),
            ("targets", "energy"),
        ],
    );
    check(
        "A missile hit an apartment block in Kyiv on Friday.",
        "2025-03-14",
        &[
            ("place", "Kyiv"),
            ("admin1", "Kyiv"),
            ("targets", "civilian"),
        ],
    );
}

// --- Places and dates that generalise (streets, districts, unknown villages, namesakes,
// explicit days against relative ones). Sentences written for these tests.

#[test]
fn streets_pipelines_and_plants_are_not_the_place() {
    check(
        "A Ukrainian drone hit a car on Sovetskaya street in Shebekino on Monday.",
        "2025-03-18",
        &[("place", "Shebekino"), ("admin1", "Belgorod Oblast")],
    );
    check(
        "In Belgorod, debris fell on Sovetskaya Street overnight, damaging a house.",
        "2025-03-18",
        &[("place", "Belgorod"), ("country", "RU")],
    );
    check(
        "Ukrainian drones hit a pumping station of the Druzhba oil pipeline near Unecha on Tuesday.",
        "2025-03-18",
        &[("place", "Unecha"), ("admin1", "Bryansk Oblast")],
    );
    check(
        "Shelling damaged a power line near the Zaporizhzhia nuclear power plant in Enerhodar on Sunday.",
        "2025-03-18",
        &[("place", "Enerhodar"), ("admin1", "Zaporizhzhia Oblast")],
    );
}

#[test]
fn a_city_district_or_suburb_is_the_city() {
    check(
        "Russian drones hit an apartment block in Kyiv's Darnytskyi district overnight.",
        "2025-04-24",
        &[("place", "Kyiv"), ("admin1", "Kyiv")],
    );
    check(
        "Debris from a downed drone fell in the Obolonskyi district overnight, injuring two people.",
        "2025-04-24",
        &[("place", "Kyiv"), ("injured", "2 exact")],
    );
    check(
        "A guided bomb hit the Saltivskyi district of Kharkiv on Thursday.",
        "2025-04-25",
        &[("place", "Kharkiv"), ("admin1", "Kharkiv Oblast")],
    );
    check(
        "A drone struck a minibus in the Dniprovskyi district of Kherson on Friday morning.",
        "2025-05-03",
        &[("place", "Kherson"), ("date", "2025-05-02")],
    );
    check(
        "A Russian drone struck a house in Antonivka, a suburb of Kherson, on Tuesday.",
        "2025-04-30",
        &[("place", "Antonivka"), ("admin1", "Kherson Oblast")],
    );
}

#[test]
fn a_village_is_placed_in_the_region_the_text_ties_it_to() {
    // Namesakes elsewhere only: coded as written, in the named region.
    check(
        "A Ukrainian drone hit a car in the village of Dubovoye outside Belgorod on Tuesday.",
        "2025-04-02",
        &[
            ("place", "Dubovoye"),
            ("admin1", "Belgorod Oblast"),
            ("country", "RU"),
        ],
    );
    check(
        "Ukrainian artillery shelled Demidovka in the Belgorod region on Thursday, the governor said.",
        "2025-05-09",
        &[("place", "Demidovka"), ("admin1", "Belgorod Oblast")],
    );
    // Several namesakes: the region beside the name chooses.
    check(
        "A Russian drone dropped explosives near a shop in Semenivka, Chernihiv region, on Tuesday.",
        "2025-04-16",
        &[("place", "Semenivka"), ("admin1", "Chernihiv Oblast")],
    );
    check(
        "Russian shelling hit Kostiantynivka in the Zaporizhzhia region on Monday.",
        "2025-04-16",
        &[
            ("place", "Kostiantynivka"),
            ("admin1", "Zaporizhzhia Oblast"),
        ],
    );
    // Not in the gazetteer, in a text about one region (a governor's round-up).
    check(
        "Ukrainian artillery shelled a house in the village of Spodaryushino near Shebekino on Sunday, Gladkov said.",
        "2025-04-07",
        &[("place", "Spodaryushino"), ("admin1", "Belgorod Oblast")],
    );
    // Not in the gazetteer at all, but introduced as a village of a named region.
    check(
        "Drones hit a house in the village of Zarechnoye Pervoye in the Kursk region on Sunday.",
        "2025-04-14",
        &[("place", "Zarechnoye Pervoye"), ("admin1", "Kursk Oblast")],
    );
}

#[test]
fn namesakes_in_the_war_area_win_in_texts_about_it() {
    check(
        "Russian troops shelled Seversk in Donetsk region on Friday, Ukrainian officials said.",
        "2025-04-13",
        &[("place", "Siversk"), ("admin1", "Donetsk Oblast")],
    );
}

#[test]
fn the_named_day_beats_overnight_and_the_day_of_the_saying() {
    // 2025-03-21 is a Friday.
    for (text, want) in [
        (
            "Overnight into 19 March, Russian drones hit a hospital in Sumy.",
            "2025-03-19",
        ),
        (
            "Russian drones hit a hospital in Sumy overnight on 19 March.",
            "2025-03-19",
        ),
        (
            "At night on 19 March a Russian drone struck a house in Sumy.",
            "2025-03-19",
        ),
        (
            "On the night of 18–19 March drones struck a substation in Sumy.",
            "2025-03-19",
        ),
        (
            "Russian drones hit a hospital in Sumy overnight into Wednesday, the governor said on Friday.",
            "2025-03-19",
        ),
        (
            "On Friday, officials said Russian drones had hit a hospital in Sumy on Wednesday.",
            "2025-03-19",
        ),
        (
            "The governor said on Friday that a Russian missile had struck Sumy on Wednesday.",
            "2025-03-19",
        ),
        (
            "A Russian drone hit a house in Sumy late on Tuesday.",
            "2025-03-18",
        ),
        (
            "A Russian drone hit a house in Sumy at dawn on Sunday.",
            "2025-03-16",
        ),
        (
            "Two days ago a Russian drone hit a house in Sumy.",
            "2025-03-19",
        ),
        (
            "Yesterday a Russian drone hit a house in Sumy.",
            "2025-03-20",
        ),
        // Only the saying's day: it dates the report of a same-day attack.
        (
            "A Russian drone hit a house in Sumy, the governor said on Thursday.",
            "2025-03-20",
        ),
    ] {
        check(text, "2025-03-21", &[("date", want)]);
    }
}

#[test]
fn talk_about_attacks_is_not_an_attack() {
    for text in [
        "Putin told Trump he would stop attacks on energy infrastructure.",
        "Ukraine has destroyed 10% of Russia's refining capacity since January.",
        "Zelensky said in Kyiv on Friday that strikes must stop.",
        "The Kremlin spokesman Dmitry Peskov said on Friday that there were no attacks.",
    ] {
        let d = code(text, "2025-03-14");
        assert!(d.incidents.is_empty(), "{text}: {:#?}", d.incidents);
    }
}

#[test]
fn statements_have_speaker_party_act_and_about() {
    let d = code(
        "Ukraine accepted the proposal for a 30-day ceasefire. Russia has not. The Kremlin said Moscow agreed in principle with the energy moratorium.",
        "2025-03-14",
    );
    let got: Vec<(String, String, String)> = d
        .statements
        .iter()
        .map(|s| (s.party.to_string(), s.act.to_string(), s.about.to_string()))
        .collect();
    for want in [
        ("UA", "accept", "general_ceasefire"),
        ("RU", "reject", "general_ceasefire"),
        ("RU", "accept_conditionally", "energy_moratorium"),
    ] {
        assert!(
            got.iter()
                .any(|g| (g.0.as_str(), g.1.as_str(), g.2.as_str()) == want),
            "{want:?} not in {got:?}"
        );
    }
}

#[test]
fn language_is_detected() {
    assert_eq!(
        code("Russian drones attacked Kharkiv overnight.", "2025-03-14")
            .document
            .language,
        "en"
    );
    assert_eq!(
        code(
            "Вночі російські дрони атакували Харків, є поранені.",
            "2025-03-14"
        )
        .document
        .language,
        "uk"
    );
    assert_eq!(
        code(
            "Ночью российские дроны атаковали Харьков, есть пострадавшие.",
            "2025-03-14"
        )
        .document
        .language,
        "ru"
    );
}

/// A small deterministic generator (xorshift) for random inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

#[test]
fn random_input_never_panics_and_evidence_stays_inside() {
    let gaz = Gazetteer::embedded();
    let lex = Lexicon::embedded();
    let coder = Coder::new(&gaz, &lex);
    let words = [
        "Russia",
        "Ukraine's",
        "drone",
        "Shahed",
        "killed",
        "injuring",
        "at least",
        "35",
        "1,200",
        "seven",
        "no one",
        "was",
        "hurt",
        "overnight",
        "last night",
        "on Thursday",
        "7–8 March",
        "in March",
        "Kharkiv",
        "Kursk region",
        "Tuapse",
        "refinery",
        "said",
        "claimed",
        "accused",
        "agreed in principle",
        "ceasefire",
        "Putin",
        "Zelensky",
        "he",
        "did not",
        ".",
        ",",
        ";",
        " – ",
        "\n\n",
        "\"",
        "“",
        "<p>",
        "</p>",
        "<script>x</script>",
        "&amp;",
        "Київ",
        "Харків",
        "вночі",
        "é",
        "\u{feff}",
        "\u{0}",
        "😀",
        "—",
        "-",
        "'",
        "’s",
        "2025-02-30",
        "31.02.2025",
        "99999999999",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..400 {
        let mut text = String::new();
        let n = rng.next() % 60;
        for _ in 0..n {
            if rng.next().is_multiple_of(9) {
                // Raw random bytes, made valid UTF-8.
                let bytes: Vec<u8> = (0..(rng.next() % 8)).map(|_| rng.next() as u8).collect();
                text.push_str(&String::from_utf8_lossy(&bytes));
            } else {
                text.push_str(rng.pick(&words));
            }
            text.push(if rng.next().is_multiple_of(4) {
                '\n'
            } else {
                ' '
            });
        }
        let format = if round % 3 == 0 {
            Some(truce_coder::Format::Html)
        } else {
            None
        };
        let published = if round % 5 == 0 {
            None
        } else {
            date("2025-03-14")
        };
        let d = coder.code(&Input {
            text: &text,
            published,
            format,
            ..Input::default()
        });
        for e in d
            .incidents
            .iter()
            .map(|i| &i.evidence)
            .chain(d.statements.iter().map(|s| &s.evidence))
        {
            assert!(
                e.span.end <= text.len()
                    && text.is_char_boundary(e.span.start)
                    && text.is_char_boundary(e.span.end)
            );
            assert_eq!(&text[e.span.start..e.span.end], e.text);
        }
    }
}

// ---- Generalisation: aggregates, neighbouring clauses, sources, transcripts ----

/// Codes a text and checks that it yields no incident.
fn no_incident(text: &str, published: &str) {
    let d = code(text, published);
    assert!(d.incidents.is_empty(), "{text}\n{:#?}", d.incidents);
}

/// Codes a text and checks that each `(party, act, about)` is among its statements; with a
/// `!` prefix on the act, that no such statement is coded.
fn check_statements(text: &str, published: &str, want: &[(&str, &str, &str)]) {
    let d = code(text, published);
    let got: Vec<(String, String, String)> = d
        .statements
        .iter()
        .map(|s| (s.party.to_string(), s.act.to_string(), s.about.to_string()))
        .collect();
    for (party, act, about) in want {
        let (absent, act) = match act.strip_prefix('!') {
            Some(a) => (true, a),
            None => (false, *act),
        };
        let found = got
            .iter()
            .any(|g| g.0 == *party && g.1 == act && g.2 == *about);
        assert_eq!(
            found, !absent,
            "{party} {act} {about} in {text:?}: got {got:?}"
        );
    }
}

#[test]
fn habitual_and_aggregate_clauses_are_no_incidents() {
    for text in [
        "Russia sent more than 1,300 drones against Ukraine this week, the president said.",
        "Over the past month the army launched 4,500 Shahed drones at Ukrainian cities.",
        "Strikes on the Kharkiv power grid continued daily through April.",
        "Russian glide bombs hit Kostiantynivka on several nights in March.",
        "Drones hit Nikopol night after night in April.",
        "Most Russian reports concern drone attacks on substations in the Belgorod, Kursk and Bryansk regions.",
        "The OSCE monitors who counted shell craters in Donetsk until 2022 have left.",
        "On Tuesday Russian troops shelled 27 settlements of Zaporizhzhia region.",
    ] {
        no_incident(text, "2025-04-20");
    }
}

#[test]
fn the_month_may_is_no_hedge() {
    check(
        "In Sloviansk on 2 May, a Russian drone hit a house.",
        "2025-05-03",
        &[("date", "2025-05-02"), ("place", "Sloviansk")],
    );
    check(
        "Kramatorsk: on 4 May, a guided bomb struck the city centre.",
        "2025-05-05",
        &[("date", "2025-05-04"), ("weapons", "glide_bomb")],
    );
    // The modal still hedges.
    no_incident(
        "Officials warned that drones may hit Kharkiv on Friday.",
        "2025-05-05",
    );
}

#[test]
fn weapons_and_targets_stay_with_their_attack() {
    check(
        "Ukrainian drones struck an airfield near Engels on Thursday, hitting a depot that stored cruise missiles.",
        "2025-03-20",
        &[("weapons", "drone")],
    );
    check(
        "A drone hit a plant producing Shahed drones in Yelabuga on Monday.",
        "2025-04-08",
        &[("weapons", "drone")],
    );
    check(
        "Russian drones struck the Kremenchuk oil refinery on Tuesday, the plant's owner said.",
        "2025-04-10",
        &[("targets", "energy"), ("reported_by", "other")],
    );
    check(
        "A missile hit a power plant in Burshtyn on Friday, according to its operator.",
        "2025-04-12",
        &[("targets", "energy"), ("reported_by", "other")],
    );
}

#[test]
fn transcripts_quotes_and_earlier_topics_give_speakers_and_topics() {
    // A transcript: the label names the speaker; a question takes no position; "it" is the
    // topic of the question.
    check_statements(
        "Briefing, 2 April 2025\n\nQuestion: Is Kyiv observing the energy moratorium?\n\nMaria Zakharova: No. The Kiev regime has been breaking it every day.\n",
        "2025-04-02",
        &[("RU", "accuse", "energy_moratorium")],
    );
    check_statements(
        "Q: Will Ukraine accept the Easter truce?\n\nA: Ukraine accepted the idea of a ceasefire long ago.\n",
        "2025-04-19",
        &[("UA", "!accept", "easter_truce")],
    );
    // A quotation that closes in the next sentence is its closer's.
    check_statements(
        "\"We are ready to implement the Black Sea arrangements now. Moscow keeps adding conditions,\" Foreign Minister Andrii Sybiha said.",
        "2025-03-28",
        &[("UA", "accept", "maritime_ceasefire")],
    );
    // A reservation in the next sentence makes an acceptance conditional.
    check_statements(
        "Vladimir Putin: We agree with the proposals to stop the hostilities. But this cessation must remove the root causes.",
        "2025-03-13",
        &[("RU", "accept_conditionally", "general_ceasefire")],
    );
    // Readiness to stop striking, offered for reciprocity, is a proposal.
    check_statements(
        "Ukraine is ready to halt strikes on civilian infrastructure for 30 days if Russia does the same, Zelensky said.",
        "2025-04-20",
        &[("UA", "propose", "other")],
    );
    // A topic named in the sentence before: "supported this step".
    check_statements(
        "The first step is stopping strikes on energy infrastructure. Zelensky said he supported this step.",
        "2025-03-19",
        &[("UA", "accept", "energy_moratorium")],
    );
    // An accusation asked about is not made; one referred back to is not made again.
    check_statements(
        "Who will decide where a violation of the ceasefire happened, Putin asked?",
        "2025-03-13",
        &[("RU", "!accuse", "general_ceasefire")],
    );
    check_statements(
        "The Foreign Ministry said it had sent the list of these violations of the energy moratorium to Washington.",
        "2025-03-28",
        &[("RU", "!accuse", "energy_moratorium")],
    );
}

#[test]
fn statement_cues_for_common_phrasings() {
    check_statements(
        "Kyiv said it would reciprocate if Moscow kept to the Easter truce.",
        "2025-04-19",
        &[("UA", "accept", "easter_truce")],
    );
    check_statements(
        "Zelensky said Ukraine still stands by a full and unconditional ceasefire.",
        "2025-05-01",
        &[("UA", "accept", "general_ceasefire")],
    );
    check_statements(
        "Zelensky said Ukraine would never recognise the occupation of Crimea.",
        "2025-04-22",
        &[("UA", "reject", "territory")],
    );
    check_statements(
        "Sybiha said the attack showed that Moscow is not interested in a ceasefire.",
        "2025-04-25",
        &[("UA", "accuse", "general_ceasefire")],
    );
    check_statements(
        "\"A halt to the fighting is urgently needed,\" NATO Secretary General Mark Rutte said.",
        "2025-04-30",
        &[("NATO", "demand", "general_ceasefire")],
    );
    check_statements(
        "Peskov said Russia remained interested in a settlement, but that many points of the plan still had to be discussed.",
        "2025-04-23",
        &[("RU", "accept_conditionally", "peace_talks")],
    );
}

#[test]
fn follow_up_sentences_complete_their_incident() {
    // Damage listed in the next sentence adds its targets; what stands after the verb does not.
    check(
        "Kostiantynivka: on 5 May, Russian artillery shelled the city. Two civilians were killed; four houses and a gas pipeline were damaged.",
        "2025-05-06",
        &[("targets", "energy,civilian"), ("killed", "2 exact")],
    );
    check(
        "On 28 March Ukrainian drones attacked a substation in Suzemka, Bryansk region. The substation was damaged, and power supply to residents was cut.",
        "2025-03-29",
        &[("targets", "energy")],
    );
    // The follow-up names the source and the casualties.
    check(
        "09:30 In the town of Balakliia, a guided bomb damaged a shop on Thursday evening. No casualties, the governor said.",
        "2025-04-04",
        &[
            ("reported_by", "UA"),
            ("killed", "0 exact"),
            ("injured", "0 exact"),
        ],
    );
    // A capital named as a place is no perpetrator; a car is a civilian target.
    check(
        "In Kyiv, drone debris hit apartment buildings overnight.",
        "2025-05-25",
        &[("perpetrator", "RU"), ("targets", "civilian")],
    );
    check(
        "On 9 May, a Ukrainian drone struck a car in Tyotkino, Kursk region. The driver was wounded.",
        "2025-05-10",
        &[("targets", "civilian"), ("injured", "1 exact")],
    );
}

#[test]
fn recalled_and_described_positions_are_not_taken_again() {
    // A relative clause describing a truce recalls a position.
    check_statements(
        "The energy truce that Donald Trump and Vladimir Putin agreed on 18 March ended quietly this week.",
        "2025-04-20",
        &[("other", "!accept", "energy_moratorium")],
    );
    // A participle after its noun: the arrangements agreed in Riyadh.
    check_statements(
        "Ukraine has published the Black Sea arrangements agreed in Riyadh without further talks.",
        "2025-03-28",
        &[
            ("UA", "!accept", "peace_talks"),
            ("UA", "!accept", "maritime_ceasefire"),
        ],
    );
    // "this step" accepts what another party put forward, not the latest commitment.
    check_statements(
        "Rubio said the United States proposed a 30-day ceasefire. Washington will resume security assistance, Waltz said. Yermak said Ukraine was ready to take this step.",
        "2025-03-11",
        &[
            ("UA", "accept", "general_ceasefire"),
            ("UA", "!accept", "weapons_aid"),
        ],
    );
    // A full ceasefire "in the air, at sea and on land" is no maritime truce.
    check_statements(
        "Zelensky said Ukraine was ready for a ceasefire in the air, at sea and on land for 30 days.",
        "2025-04-23",
        &[
            ("UA", "propose", "general_ceasefire"),
            ("UA", "!propose", "maritime_ceasefire"),
        ],
    );
    // Readiness to continue is a commitment; an accusation of strikes on civilians is not
    // about the energy moratorium.
    check_statements(
        "Peskov said Moscow was ready to continue contacts with Washington.",
        "2025-04-18",
        &[("RU", "commit", "peace_talks")],
    );
    check_statements(
        "Russia struck energy sites despite the energy moratorium, Kyiv said. On Monday Kyiv accused Russia of a deliberate strike on civilians in Bilopillia.",
        "2025-05-19",
        &[("UA", "accuse", "other")],
    );
}

#[test]
fn recalled_acts_offers_and_plant_words() {
    // "... a month ago": a position recalled, not taken.
    check_statements(
        "Ukraine accepted the U.S. proposal for a 30-day ceasefire more than a month ago.",
        "2025-04-13",
        &[("UA", "!accept", "general_ceasefire")],
    );
    // Readiness to resume talks offers them.
    check_statements(
        "Ushakov said Russia was ready to resume direct talks with Kyiv.",
        "2025-05-11",
        &[
            ("RU", "propose", "peace_talks"),
            ("RU", "!accept", "peace_talks"),
        ],
    );
    // "the plant" beside an energy word is the energy site; a road is where, not what.
    check(
        "A Ukrainian drone struck a transformer at the Zaporizhzhia nuclear power plant on Tuesday, the plant's management said.",
        "2025-04-15",
        &[("targets", "energy")],
    );
    check(
        "A Russian drone struck a passenger bus on the road near Bilopillia on Saturday.",
        "2025-05-17",
        &[("targets", "civilian")],
    );
}

#[test]
fn quotes_opened_before_a_sentence_and_answers_demanded() {
    // The opening mark in the gap before the sentence: the quotation closes in the next one.
    check_statements(
        "Turkey wants a role. Fidan said that Ankara was ready.\n\nKyiv, for its part, says the obstacle is in Moscow. \"We are ready to implement the Black Sea arrangements today. Russia is the one attaching conditions,\" Foreign Minister Andrii Sybiha said on Tuesday.",
        "2025-04-02",
        &[("UA", "accept", "maritime_ceasefire")],
    );
    // "The ball is in their court" demands an answer to what was just put forward.
    check_statements(
        "Rubio said the United States had proposed a 30-day ceasefire. Asked whether Moscow would agree, Rubio said: \"The ball is in their court.\"",
        "2025-03-11",
        &[("US", "demand", "general_ceasefire")],
    );
    check_statements(
        "Russian Ministry of Defence bulletin\n\nDespite the declared ceasefire, the Kiev regime continued its attacks.",
        "2025-05-10",
        &[("RU", "accuse", "general_ceasefire")],
    );
}

// ---- Reporting verbs in all their forms: the language, not the examples ----

#[test]
fn reporting_verbs_code_in_every_regular_form() {
    let cases: &[(&str, (&str, &str, &str))] = &[
        // propose
        (
            "Zelensky suggested a full ceasefire on Monday.",
            ("UA", "propose", "general_ceasefire"),
        ),
        (
            "Trump is urging a 30-day ceasefire, the White House said.",
            ("US", "propose", "general_ceasefire"),
        ),
        (
            "Kyiv has put forward a prisoner exchange of all for all.",
            ("UA", "propose", "prisoner_exchange"),
        ),
        // accept
        (
            "Ukraine endorsed the 30-day ceasefire on Tuesday.",
            ("UA", "accept", "general_ceasefire"),
        ),
        (
            "Britain is welcoming the ceasefire, Starmer said.",
            ("UK", "accept", "general_ceasefire"),
        ),
        (
            "Ukraine embraced the ceasefire plan on Wednesday.",
            ("UA", "accept", "general_ceasefire"),
        ),
        // reject
        (
            "The Kremlin rebuffed the ceasefire plan on Friday.",
            ("RU", "reject", "general_ceasefire"),
        ),
        (
            "Moscow brushed aside calls for a ceasefire.",
            ("RU", "reject", "general_ceasefire"),
        ),
        (
            "Russia is ruling out a ceasefire, Lavrov said.",
            ("RU", "reject", "general_ceasefire"),
        ),
        (
            "Kyiv turned down the Easter truce on Saturday.",
            ("UA", "reject", "easter_truce"),
        ),
        // commit
        (
            "Putin vowed to halt strikes on energy infrastructure for 30 days.",
            ("RU", "commit", "energy_moratorium"),
        ),
        (
            "Zelensky pledged to observe the energy moratorium.",
            ("UA", "commit", "energy_moratorium"),
        ),
        // demand
        (
            "Zelensky is calling on Russia to accept the ceasefire.",
            ("UA", "demand", "general_ceasefire"),
        ),
        (
            "Russia insisted on a halt to weapons deliveries to Kyiv.",
            ("RU", "demand", "weapons_aid"),
        ),
        // accuse
        (
            "Ukraine is blaming Russia for breaking the energy moratorium.",
            ("UA", "accuse", "energy_moratorium"),
        ),
        // deny
        (
            "The Kremlin denied breaking the energy moratorium and called the reports baseless.",
            ("RU", "deny", "energy_moratorium"),
        ),
        // condemn
        (
            "Starmer slammed the attack as a breach of the Easter truce.",
            ("UK", "condemn", "easter_truce"),
        ),
        (
            "Macron criticised Russia for rejecting the ceasefire.",
            ("other", "condemn", "general_ceasefire"),
        ),
    ];
    for (text, want) in cases {
        check_statements(text, "2025-04-15", &[*want]);
    }
    // Another sense of the same word takes no position.
    check_statements(
        "A Russian missile slammed into a block of flats in Sumy during the truce.",
        "2025-04-15",
        &[("RU", "!condemn", "general_ceasefire")],
    );
}

#[test]
fn speakers_by_title_report_structure_and_nominalisation() {
    let cases: &[(&str, (&str, &str, &str))] = &[
        // A title or an office for the speaker.
        (
            "Foreign Minister Sergei Lavrov rejected the ceasefire plan on Monday.",
            ("RU", "reject", "general_ceasefire"),
        ),
        (
            "Russia's top diplomat rejected the Easter truce on Sunday.",
            ("RU", "reject", "easter_truce"),
        ),
        (
            "A Kremlin spokesman said Russia would not accept a ceasefire.",
            ("RU", "reject", "general_ceasefire"),
        ),
        (
            "Ukraine's foreign ministry accused Moscow of violating the energy moratorium.",
            ("UA", "accuse", "energy_moratorium"),
        ),
        (
            "Officials in Kyiv welcomed the Easter truce.",
            ("UA", "accept", "easter_truce"),
        ),
        (
            "The Ukrainian delegation accepted the maritime ceasefire in Riyadh.",
            ("UA", "accept", "maritime_ceasefire"),
        ),
        (
            "Russian negotiators demanded the lifting of sanctions on Rosselkhozbank.",
            ("RU", "demand", "sanctions"),
        ),
        // Reporting structures.
        (
            "Peskov was quoted as saying that Moscow rejected the plan for a ceasefire.",
            ("RU", "reject", "general_ceasefire"),
        ),
        (
            "Zelensky told reporters that Ukraine would accept a 30-day ceasefire.",
            ("UA", "accept", "general_ceasefire"),
        ),
        (
            "Sybiha wrote on X that Russia had violated the Easter truce.",
            ("UA", "accuse", "easter_truce"),
        ),
        (
            "\"We will not accept this ceasefire,\" Lavrov said.",
            ("RU", "reject", "general_ceasefire"),
        ),
        (
            "Lavrov said Moscow would agree to a ceasefire only if weapons deliveries stopped.",
            ("RU", "accept_conditionally", "general_ceasefire"),
        ),
        // A position named as a noun.
        (
            "Russia's rejection of the ceasefire plan angered Washington.",
            ("RU", "reject", "general_ceasefire"),
        ),
        (
            "Kyiv's acceptance of the ceasefire came on Tuesday.",
            ("UA", "accept", "general_ceasefire"),
        ),
        (
            "Ukraine's endorsement of the 30-day ceasefire was noted in Washington.",
            ("UA", "accept", "general_ceasefire"),
        ),
    ];
    for (text, want) in cases {
        check_statements(text, "2025-04-15", &[*want]);
    }
}

#[test]
fn statements_follow_the_sentence_not_the_wording() {
    // Refusing a claim denies it; the topic comes from the accusation just before.
    check_statements(
        "Moscow accused Kyiv of breaking the energy moratorium. The Ukrainian General Staff dismissed the claim as fabricated.",
        "2025-03-22",
        &[
            ("UA", "deny", "energy_moratorium"),
            ("UA", "!reject", "energy_moratorium"),
        ],
    );
    // An analyst's quotation is commentary, whatever it says about a side.
    check_statements(
        "\"Moscow will reject any truce it did not write,\" said an analyst at a Kyiv think tank.",
        "2025-04-20",
        &[("RU", "!reject", "general_ceasefire")],
    );
    // "He" after a speaker named by title only: that speaker, not the accused.
    check_statements(
        "A senior Kremlin aide said on Tuesday that the army had stopped striking energy facilities. He accused Ukraine of trying to wreck the moratorium.",
        "2025-03-19",
        &[
            ("RU", "accuse", "energy_moratorium"),
            ("UA", "!accuse", "energy_moratorium"),
        ],
    );
    // An expectation put on another side is a demand.
    check_statements(
        "Russia's deputy foreign minister said Moscow expected Washington to make Kyiv respect the energy moratorium.",
        "2025-03-19",
        &[("RU", "demand", "energy_moratorium")],
    );
    // An intent ascribed by someone else is no position of the one described.
    check_statements(
        "Zelensky said Putin was preparing to reject the ceasefire plan.",
        "2025-03-14",
        &[("RU", "!reject", "general_ceasefire")],
    );
    // Both sides together.
    check_statements(
        "Both sides confirmed their readiness to continue the peace talks.",
        "2025-03-26",
        &[("other", "commit", "peace_talks")],
    );
    // A question in a transcript, with the asker's outlet in brackets, takes no position.
    check_statements(
        "Q (Radio Liberty): Does Kyiv reject the Easter truce?",
        "2025-04-20",
        &[("UA", "!reject", "easter_truce")],
    );
    // Support with a reservation in the same clause.
    check_statements(
        "Zelensky said Ukraine would support a halt to energy strikes but wants to see the list of sites first.",
        "2025-03-18",
        &[("UA", "accept_conditionally", "energy_moratorium")],
    );
    // One side saying the other opened fire once a named truce began accuses it.
    check_statements(
        "Ukraine's General Staff said Russian troops had opened fire 300 times since the Easter truce began.",
        "2025-04-20",
        &[("UA", "accuse", "easter_truce")],
    );
    // "It says" after a body is named: that body speaks.
    check_statements(
        "The White House published its summary of the call on Tuesday. It says talks on a maritime ceasefire will start next week.",
        "2025-03-18",
        &[("US", "commit", "maritime_ceasefire")],
    );
    // "on condition of anonymity" is no condition on a deal.
    check_statements(
        "A European diplomat, speaking on condition of anonymity, said the maritime ceasefire was dead.",
        "2025-03-28",
        &[("EU", "!accept_conditionally", "maritime_ceasefire")],
    );
}

#[test]
fn unseen_constructions_of_statement_writing() {
    // A question in the text's own voice takes no position.
    check_statements(
        "1. Will the US recognise Crimea as Russian?\nNobody knows yet.",
        "2025-04-18",
        &[("US", "!accept", "territory")],
    );
    // Speculation by the press is no side's proposal.
    check_statements(
        "Perhaps, if Washington were to recognise Crimea as Russian, as some reports suggest it might, a deal could follow.",
        "2025-04-25",
        &[("US", "!propose", "other"), ("US", "!accept", "territory")],
    );
    // A leading "Asked whether ..." names no speaker.
    check_statements(
        "Asked whether European peacekeepers could be deployed, Sergei Ryabkov said this was unacceptable for Russia.",
        "2025-04-02",
        &[("RU", "reject", "other"), ("EU", "!reject", "other")],
    );
    // The representative of a state speaks for it, and "she" points back to it.
    check_statements(
        "The representative of the United Kingdom said her delegation had abstained. Any peace, she said, must include a full and unconditional ceasefire first.",
        "2025-02-24",
        &[("UK", "demand", "general_ceasefire")],
    );
    // Readiness to tighten sanctions commits; refusing to refuse is conditional.
    check_statements(
        "If the Kremlin keeps stalling, we are prepared to tighten sanctions further, Foreign Secretary David Lammy said.",
        "2025-05-12",
        &[
            ("UK", "commit", "sanctions"),
            ("UK", "!accept", "sanctions"),
        ],
    );
    check_statements(
        "The Kremlin on Thursday did not reject the Black Sea navigation arrangement, but said Russia would not implement it until restrictions on its agricultural bank were lifted.",
        "2025-03-27",
        &[
            ("RU", "accept_conditionally", "maritime_ceasefire"),
            ("RU", "!reject", "maritime_ceasefire"),
        ],
    );
    // Agreeing to a swap promises it.
    check_statements(
        "Rustem Umerov said the two sides agreed to a 1,000-for-1,000 prisoner exchange.",
        "2025-05-16",
        &[("UA", "commit", "prisoner_exchange")],
    );
    // A joint communique speaks for its signatories; backing someone's call accepts it.
    check_statements(
        "JOINT STATEMENT BY THE FOREIGN MINISTERS OF FRANCE, GERMANY AND POLAND\n\nWe support President Trump's call for a full and unconditional ceasefire of at least 30 days.",
        "2025-05-10",
        &[("other", "accept", "general_ceasefire")],
    );
    // Asking another for arms demands them; "no pause without" sets a condition; a first-person
    // denial of a charge denies it.
    check_statements(
        "Zelensky asked the American side for additional air defence systems.",
        "2025-03-19",
        &[("UA", "demand", "weapons_aid")],
    );
    check_statements(
        "Dmitry Medvedev wrote: no pause without an end to Western weapons deliveries.",
        "2025-04-20",
        &[("RU", "demand", "weapons_aid")],
    );
    check_statements(
        "PESKOV: Let them say so. We are not stalling on the ceasefire.",
        "2025-03-14",
        &[
            ("RU", "deny", "general_ceasefire"),
            ("RU", "!accuse", "general_ceasefire"),
        ],
    );
    // Counterfactuals, anonymous sources and "declined to say" take no position.
    check_statements(
        "The minister said that if the reports were confirmed, Russia would have broken the very pause it had just agreed on energy strikes.",
        "2025-03-19",
        &[
            ("RU", "!accept", "energy_moratorium"),
            ("UK", "!accuse", "energy_moratorium"),
        ],
    );
    check_statements(
        "An official in Kyiv, who asked not to be named, suggested that the question would return at the technical talks.",
        "2025-03-19",
        &[("UA", "!propose", "peace_talks")],
    );
    check_statements(
        "Dmitry Peskov declined to say whether Russian forces would observe the Easter truce.",
        "2025-04-19",
        &[("RU", "!reject", "easter_truce")],
    ); // A standing readiness for a ceasefire offers it; what reports say is no one's proposal.
    check_statements(
        "Andrii Sybiha added that Kyiv remained ready for a ceasefire on the current line.",
        "2025-04-27",
        &[
            ("UA", "propose", "general_ceasefire"),
            ("UA", "!commit", "general_ceasefire"),
        ],
    );
    check_statements(
        "Ukrainian officials pushed back against reports that Kyiv might accept a US proposal on Crimea.",
        "2025-04-27",
        &[("US", "!propose", "territory")],
    );
    // "saw no grounds for lifting" refuses.
    check_statements(
        "European diplomats in Brussels said the EU saw no grounds for lifting any sanctions.",
        "2025-03-27",
        &[("EU", "reject", "sanctions")],
    );
    // "lists of violations" passed on record charges; they make none anew.
    check_statements(
        "Sergei Ryabkov noted that the relevant lists of violations had been passed to the American side.",
        "2025-04-02",
        &[("RU", "!accuse", "energy_moratorium")],
    );
}

#[test]
fn casualties_of_coordinated_people_wound_nouns_and_threads() {
    // Two people coordinated in one phrase ("a man and his teenage son").
    check(
        "On Wednesday night a Russian drone hit a private house in Sumy, injuring a man and his teenage son, the city council said.",
        "2025-05-02",
        &[("injured", "2 exact"), ("date", "2025-04-30")],
    );
    // "sustained a shrapnel wound": an injury named by a verb and a noun.
    check(
        "On 21.04.2025 Russian forces shelled the village of Kivsharivka. As a result, a 68-year-old local resident sustained a shrapnel wound.",
        "2025-04-22",
        &[("injured", "1 exact")],
    );
    // A thread of posts: the toll update reaches back past the intervening lines.
    check(
        "The enemy attacked Zaporizhzhia at dawn.\n\nAn industrial enterprise was damaged.\n\nInformation about the victims is being clarified.\n\nTwo people were injured.\n\nMedics are helping.\n\nOne woman died in hospital.\n\nRescuers worked through the rubble.\n\nThe death toll rose to three; seven people were injured.",
        "2025-05-14",
        &[
            ("killed", "3 exact"),
            ("injured", "7 exact"),
            ("weapons", "unknown"),
        ],
    );
}

#[test]
fn one_place_named_twice_and_installed_officials() {
    // A spelling in brackets names the same settlement: its casualties stay with it;
    // an official the other side installed speaks for that side.
    check(
        "The Ukrainian Armed Forces shelled Gorlovka (Горловка) on Saturday morning, killing a woman and wounding two men, the city's Russian-installed mayor said.",
        "2025-04-19",
        &[
            ("place", "Horlivka"),
            ("killed", "1 exact"),
            ("injured", "2 exact"),
            ("reported_by", "RU"),
            ("perpetrator", "UA"),
        ],
    );
}

#[test]
fn places_under_fire_and_datelines() {
    // "came under artillery fire": the settlement is attacked, though no attack verb is used.
    check(
        "On the evening of 6 April, a residential area on the outskirts of Kupiansk came under artillery fire attributed to the Russian army.",
        "2025-04-08",
        &[
            ("place", "Kupiansk"),
            ("date", "2025-04-06"),
            ("weapons", "artillery"),
        ],
    );
    // A dateline names where the copy was filed, not a place of the attacks that follow.
    check(
        "MOSCOW, 8 May.\n\nGovernors of several Russian regions reported Ukrainian drone attacks overnight.\n\nIn the Kursk region, a drone hit a car in the town of Lgov; the driver was injured.",
        "2025-05-08",
        &[
            ("place", "Lgov"),
            ("injured", "1 exact"),
            ("reported_by", "RU"),
        ],
    );
}

#[test]
fn tabular_casualty_lines() {
    // Emergency-service officialese: "Injured: 1 person", "Dead: none".
    check(
        "On 17 May at 23:50, a fire broke out in a warehouse in Odesa following an enemy attack by attack UAVs.\n\nInjured: 1 person (a guard).\n\nDead: none.",
        "2025-05-18",
        &[
            ("injured", "1 exact"),
            ("killed", "0 exact"),
            ("date", "2025-05-17"),
        ],
    );
}

#[test]
fn ages_and_period_tallies_are_not_casualties() {
    check(
        "On the evening of 6 April, a Russian shell hit a house in Kupiansk. The mission confirmed that one man, aged 57, was killed and two women were injured.\n\nSince the start of the year the mission has verified 1,021 civilian casualties in the region.",
        "2025-04-08",
        &[("killed", "1 exact"), ("injured", "2 exact")],
    );
}

// ---- Incident coding on unseen writing (issue #2): holidays, report verbs, other sources,
// dated headings, targets in the next sentence, interception tallies. Sentences written for
// these tests.

#[test]
fn holidays_are_read_as_days() {
    // Orthodox and Western Easter both fell on 20 April 2025; in 2024 they were 5 May and 31
    // March; in 2023, 16 and 9 April.
    let cases = [
        (
            "On Easter Sunday a Russian drone set fire to a barn in Kupiansk.",
            "2025-04-23",
            "2025-04-20",
        ),
        (
            "Russian shells fell on Nikopol on the morning of Palm Sunday.",
            "2025-04-16",
            "2025-04-13",
        ),
        (
            "On Good Friday a Russian guided bomb struck a school in Kostiantynivka.",
            "2025-04-19",
            "2025-04-18",
        ),
        (
            "A Russian missile hit a depot in Lviv on Orthodox Easter.",
            "2024-05-08",
            "2024-05-05",
        ),
        (
            "A Russian missile hit a depot in Lviv on Catholic Easter.",
            "2024-04-03",
            "2024-03-31",
        ),
        (
            "On Orthodox Christmas Russian artillery shelled Kherson.",
            "2025-01-09",
            "2025-01-07",
        ),
        (
            "A Ukrainian drone struck a house in Shebekino on New Year's Eve.",
            "2025-01-02",
            "2024-12-31",
        ),
        (
            "On Victory Day a Ukrainian drone hit a car park in Kursk.",
            "2025-05-11",
            "2025-05-09",
        ),
        (
            "On the eve of Victory Day a Ukrainian drone hit a car park in Kursk.",
            "2025-05-11",
            "2025-05-08",
        ),
        (
            "On Easter Monday a Russian drone hit a bus in Sumy.",
            "2023-04-20",
            "2023-04-17",
        ),
    ];
    for (text, published, want) in cases {
        check(text, published, &[("date", want), ("precision", "day")]);
    }
    // A holiday used as a name, or after "since"/"before", dates nothing: the weekday or
    // the publication day does.
    let names = [
        (
            "Russian drones hit Odesa overnight, breaking the Easter truce, officials said.",
            "2025-04-21",
            "2025-04-21",
        ),
        (
            "Ukrainian drones attacked Bryansk overnight, days before the Victory Day parade.",
            "2025-05-06",
            "2025-05-06",
        ),
        (
            "On Sunday a Russian drone hit a shop in Sumy, a week after Palm Sunday.",
            "2025-04-22",
            "2025-04-20",
        ),
    ];
    for (text, published, want) in names {
        check(text, published, &[("date", want)]);
    }
}

#[test]
fn writes_wrote_and_posted_name_who_reports() {
    let cases = [
        (
            "A Russian drone hit a petrol station in Chernihiv overnight, the regional governor writes.",
            "UA",
        ),
        (
            "Falling debris damaged a garage in Kursk overnight, the acting governor wrote on Telegram.",
            "RU",
        ),
        (
            "Drones struck a warehouse in Belgorod overnight, the regional governor posted.",
            "RU",
        ),
        (
            "The regional governor writes that a Russian missile struck a hotel in Kharkiv overnight.",
            "UA",
        ),
    ];
    for (text, want) in cases {
        check(text, "2025-05-02", &[("reported_by", want)]);
    }
    // A writer who is no official leaves the reporting to the media.
    check(
        "A Russian drone hit a bakery in Sumy overnight, a local blogger writes.",
        "2025-05-02",
        &[("reported_by", "media")],
    );
}

#[test]
fn bulletins_of_no_side_and_companies_report_as_other() {
    // (text, reported_by, perpetrator)
    let cases = [
        // A UN agency's bulletin relays local officials: its own report, the attacker unnamed.
        (
            "Humanitarian Update No. 12 – southern oblasts\n\nOn 3 May a drone struck a water pumping station in Kherson, the city administration said.",
            "other",
            "unknown",
        ),
        (
            "MONITORING REPORT 44/2025\n\nOn 3 May, the outskirts of Nikopol came under shelling, according to local authorities.",
            "other",
            "unknown",
        ),
        // The bulletin names who fired: the attacker, still its report.
        (
            "MONITORING REPORT 44/2025\n\nOn 3 May, a shop in Nikopol was struck by a drone attributed to the Russian armed forces.",
            "other",
            "RU",
        ),
        // It relays a side's blame: that side's report.
        (
            "Situation Report, 5 May\n\nOn 3 May drones hit a fuel depot near Novorossiysk, according to the Russian defence ministry, which blamed Kyiv.",
            "RU",
            "UA",
        ),
        // A company's notice speaks for the company.
        (
            "DTEK: Overnight, a drone damaged one of our substations in Odesa.",
            "other",
            "unknown",
        ),
        // A governor's post is still the governor's side.
        (
            "Oleh Syniehubov: overnight a drone damaged a substation in Kharkiv.",
            "UA",
            "RU",
        ),
    ];
    for (text, by, perp) in cases {
        check(
            text,
            "2025-05-05",
            &[("reported_by", by), ("perpetrator", perp)],
        );
    }
}

#[test]
fn relative_days_under_a_dated_heading_take_its_day() {
    let cases = [
        (
            "Governor's posts, 2 June\n\nA Russian drone hit a kiosk in Kupiansk this afternoon.",
            "2025-06-03",
            "2025-06-02",
        ),
        (
            "Monday 2 June - all times local\n\n14:20 Russian shelling damaged a clinic in Kherson this evening, the governor says.",
            "2025-06-04",
            "2025-06-02",
        ),
        (
            "Posts of 2 June (translated)\n\nUkrainian drones attacked Kursk overnight, the governor said.",
            "2025-06-03",
            "2025-06-02",
        ),
        // No heading: publication day.
        (
            "A Russian drone hit a kiosk in Kupiansk this afternoon.",
            "2025-06-03",
            "2025-06-03",
        ),
        // A sentence with a full stop is no heading.
        (
            "Talks resumed on 2 June.\n\nA Russian drone hit a kiosk in Kupiansk this afternoon.",
            "2025-06-03",
            "2025-06-03",
        ),
    ];
    for (text, published, want) in cases {
        check(text, published, &[("date", want)]);
    }
}

#[test]
fn interception_tallies_over_several_regions_are_one_placeless_incident() {
    // The codebook: a multi-region tally of one night is one incident without a place;
    // per-region interception counts are not incidents.
    let tallies = [
        "Overnight, Russian air defences downed 58 Ukrainian drones over seven regions, the defence ministry said.",
        "During the past night, air defence units intercepted 64 Ukrainian drones: 30 over the Kursk region, 20 over the Oryol region and 14 over the Tula region.",
        "Ukraine's air force said Russia attacked overnight. It says 41 Russian drones were shot down over nine regions.",
    ];
    for text in tallies {
        check(
            text,
            "2025-06-10",
            &[
                ("place", "null"),
                ("admin1", "null"),
                ("date", "2025-06-10"),
                ("weapons", "drone"),
                ("targets", "unknown"),
            ],
        );
    }
    no_incident(
        "Air defences shot down 12 Ukrainian drones over the Bryansk region overnight.",
        "2025-06-10",
    );
    no_incident(
        "Russian air defence systems have downed 3,000 drones over the border regions since January.",
        "2025-06-10",
    );
}

#[test]
fn damage_named_in_the_next_sentence_gives_the_target() {
    let cases = [
        (
            "Russian drones attacked Kremenchuk overnight. A substation was damaged, the governor said.",
            "energy",
        ),
        (
            "A Russian missile struck Kryvyi Rih on Tuesday morning. Two schools and a clinic were damaged.",
            "civilian",
        ),
        (
            "Ukrainian drones hit Novoshakhtinsk overnight. The refinery's main unit was destroyed.",
            "energy",
        ),
    ];
    for (text, want) in cases {
        check(text, "2025-06-11", &[("targets", want)]);
    }
    // Damage two sentences later, or with its own weapon, is not read into the strike.
    check(
        "Russian drones attacked Kremenchuk overnight. Air defences were active. A substation was damaged in a storm last week.",
        "2025-06-11",
        &[("targets", "unknown")],
    );
}

#[test]
fn the_accuser_reports_and_the_accused_did_it() {
    // (text, reported_by, perpetrator)
    let cases = [
        (
            "Moscow, in a statement, accused Kyiv of striking an oil depot in Bryansk overnight.",
            "RU",
            "UA",
        ),
        (
            "Kyiv on Friday accused Moscow of shelling a substation in Nikopol overnight.",
            "UA",
            "RU",
        ),
        // "in violation of" is no saying: the bulletin's voice reports.
        (
            "Report of the Ministry of Defence of the Russian Federation\n\nOn Friday evening, in violation of international law, the Kyiv regime attacked the village of Glushkovo in the Kursk region with drones.",
            "RU",
            "UA",
        ),
    ];
    for (text, by, perp) in cases {
        check(
            text,
            "2025-06-14",
            &[("reported_by", by), ("perpetrator", perp)],
        );
    }
}

/// Codes a text and checks the targets of the incident at each named place.
fn check_targets_by_place(text: &str, published: &str, want: &[(&str, &str)]) {
    let d = code(text, published);
    for (place, targets) in want {
        let inc = d
            .incidents
            .iter()
            .find(|i| i.place.as_deref() == Some(*place))
            .unwrap_or_else(|| panic!("no incident at {place} in {text:?}: {:#?}", d.incidents));
        let got: Vec<&str> = inc.targets.iter().map(|t| t.as_str()).collect();
        assert_eq!(got.join(","), *targets, "targets at {place} in {text:?}");
    }
}

#[test]
fn each_place_keeps_the_target_named_at_it() {
    check_targets_by_place(
        "Overnight Russian missiles hit a school in Zaporizhzhia and a substation in Dnipro.",
        "2025-06-15",
        &[("Zaporizhzhia", "civilian"), ("Dnipro", "energy")],
    );
    check_targets_by_place(
        "Ukrainian drones struck the oil depot near Bryansk and an airfield outside Kursk overnight.",
        "2025-06-15",
        &[("Bryansk", "energy"), ("Kursk", "military")],
    );
    // Targets named apart from the places stay with every place.
    check_targets_by_place(
        "Overnight Russian drones damaged homes in Sumy and Kharkiv.",
        "2025-06-15",
        &[("Sumy", "civilian"), ("Kharkiv", "civilian")],
    );
}

#[test]
fn casualty_counts_over_a_period_stay_off_the_strike() {
    let cases = [
        "A Russian shell hit a house in Huliaipole on 4 June, injuring two women.\n\nBetween 1 and 7 June, the field team recorded 35 civilian casualties in the Zaporizhzhia region.",
        "A Russian shell hit a house in Huliaipole on 4 June, injuring two women.\n\nSince the beginning of the war, 870 civilians have been injured in the Zaporizhzhia region.",
    ];
    for text in cases {
        check(text, "2025-06-08", &[("injured", "2 exact")]);
    }
    // Any month opens a period, not only the spring ones the 2025 texts name.
    check(
        "A Russian shell hit a house in Huliaipole on 4 October, injuring two women.\n\nSince September, 140 civilians have been injured in the Zaporizhzhia region.",
        "2025-10-08",
        &[("injured", "2 exact")],
    );
    no_incident(
        "Between 1 and 7 June, the field team recorded 35 civilian casualties in the Zaporizhzhia region.",
        "2025-06-08",
    );
}

#[test]
fn dropping_a_munition_is_an_attack() {
    let cases = [
        (
            "On 9 June a Russian drone dropped a grenade on a tractor near Bilopillia.",
            "2025-06-09",
        ),
        (
            "The occupiers dropped three guided bombs on Kostiantynivka on Monday.",
            "2025-06-09",
        ),
        (
            "On 9 June a Ukrainian drone drops explosives on a car in Shebekino, the governor says.",
            "2025-06-09",
        ),
    ];
    for (text, want) in cases {
        check(text, "2025-06-10", &[("date", want)]);
    }
    no_incident(
        "On Monday Moscow dropped its demand for talks in Istanbul, the Kremlin said.",
        "2025-06-10",
    );
    no_incident(
        "Prices of fuel in Kharkiv dropped sharply on Monday.",
        "2025-06-10",
    );
}

#[test]
fn impact_verbs_report_a_strike() {
    let cases = [
        "On Palm Sunday two Russian missiles tore into the centre of Sumy, the regional administration said.",
        "On 13 April a Ukrainian drone tore into a fuel tank in Tuapse, local officials said.",
    ];
    for text in cases {
        check(text, "2025-04-15", &[("date", "2025-04-13")]);
    }
    // A collision is no strike.
    no_incident(
        "Two cars crashed into each other in Sumy on Sunday, police said.",
        "2025-04-15",
    );
    no_incident(
        "A lorry slammed into a bus stop in Odesa on Sunday, police said.",
        "2025-04-15",
    );
}

#[test]
fn a_broken_pause_named_before_a_comma_does_not_stop_the_strike() {
    // A prevention word ("moratorium", "pause", "ban") in a phrase set off by a comma names what
    // the strike broke; it does not make the strike hypothetical.
    for text in [
        "In violation of the moratorium, the Kyiv regime struck a substation in the Bryansk region overnight, the governor said.",
        "Despite the Easter pause, Russian drones hit a power station in Kharkiv on Sunday, the mayor wrote.",
    ] {
        check(text, "2025-04-20", &[("targets", "energy")]);
    }
    // In the same stretch of words the prevention word still stops it.
    no_incident(
        "Russia said it would stop strikes on energy facilities in the Kherson region.",
        "2025-04-20",
    );
    no_incident(
        "There was a pause in strikes on Kharkiv overnight, the mayor said.",
        "2025-04-20",
    );
}

// ---- stmt3: statement structure that carries to unseen writing (conditions, speakers by
// title, welcomes). Sentences written for these tests. ----

#[test]
fn sanctions_relief_as_a_condition_is_a_demand() {
    // The condition of a deal names sanctions relief: a demand about sanctions.
    check_statements(
        "The Kremlin said the grain corridor would only resume once Western curbs on its farm bank were lifted.",
        "2025-03-27",
        &[("RU", "demand", "sanctions")],
    );
    check_statements(
        "Moscow will not honour the shipping accord until the sanctions on its agricultural lender are removed, Lavrov said.",
        "2025-03-28",
        &[
            ("RU", "demand", "sanctions"),
            ("RU", "!reject", "maritime_ceasefire"),
        ],
    );
    // Not refusing a deal, then a relief condition: both positions.
    check_statements(
        "The Kremlin did not reject the Black Sea arrangement, but said it would not implement it unless the SWIFT ban on its bank was lifted.",
        "2025-03-27",
        &[
            ("RU", "accept_conditionally", "maritime_ceasefire"),
            ("RU", "demand", "sanctions"),
        ],
    );
    // The deal's entry into force on terms stays a conditional acceptance of the deal.
    check_statements(
        "The Kremlin said the maritime truce would take effect only after the sanctions on its farm bank were lifted.",
        "2025-03-26",
        &[
            ("RU", "accept_conditionally", "maritime_ceasefire"),
            ("RU", "!demand", "sanctions"),
        ],
    );
    // A condition that is not relief, and relief that is no condition, demand nothing.
    check_statements(
        "Moscow said the Black Sea truce would start only when both navies had withdrawn to their ports.",
        "2025-03-26",
        &[("RU", "!demand", "sanctions")],
    );
    check_statements(
        "Before the talks, Ukraine said it would not accept any easing of sanctions.",
        "2025-03-26",
        &[
            ("UA", "!demand", "sanctions"),
            ("UA", "reject", "sanctions"),
        ],
    );
}

#[test]
fn praise_for_a_deed_accepts_no_proposal() {
    // Welcoming what was done or is under way takes no position.
    check_statements(
        "Ankara welcomed the swap of wounded soldiers carried out on Friday.",
        "2025-05-24",
        &[("other", "!accept", "prisoner_exchange")],
    );
    check_statements(
        "NATO welcomed the talks held in Istanbul, saying they were a start.",
        "2025-05-17",
        &[("NATO", "!accept", "peace_talks")],
    );
    check_statements(
        "The G7 welcomed Kyiv's commitment to a full ceasefire.",
        "2025-03-14",
        &[("other", "!accept", "general_ceasefire")],
    );
    // Welcoming a proposal accepts it.
    check_statements(
        "Kyiv welcomed the American proposal for a 30-day ceasefire.",
        "2025-03-12",
        &[("UA", "accept", "general_ceasefire")],
    );
    // Encouraging more of something proposes it.
    check_statements(
        "The ministers encourage further exchanges of prisoners of war, Turkey said.",
        "2025-05-20",
        &[("other", "propose", "prisoner_exchange")],
    );
}

#[test]
fn attacks_said_to_go_on_during_a_truce_accuse_their_side() {
    let lead = "Moscow announced a 30-hour Easter truce on Saturday. ";
    // The sayer accuses the side said to keep attacking.
    check_statements(
        &format!("{lead}Sybiha said Russian troops continued to pound the front line overnight."),
        "2025-04-20",
        &[
            ("UA", "accuse", "easter_truce"),
            ("RU", "!accuse", "easter_truce"),
        ],
    );
    // A title after a possessive is the sayer itself, not the text's voice.
    check_statements(
        &format!("{lead}Ukraine's army chief said Russian gunners kept firing through the night."),
        "2025-04-20",
        &[
            ("UA", "accuse", "easter_truce"),
            ("RU", "!accuse", "easter_truce"),
        ],
    );
    // In a transcript the turn's speaker accuses; the actor named after is no speaker.
    check_statements(
        "Briefing on the 30-day ceasefire proposal.\n\nANDRII SYBIHA: Kyiv said yes to the ceasefire. Yet it keeps shelling our towns, which proves Moscow wants war.",
        "2025-05-12",
        &[
            ("UA", "accuse", "general_ceasefire"),
            ("RU", "!accuse", "general_ceasefire"),
        ],
    );
    // The text's own narrative accuses no one.
    check_statements(
        "The energy moratorium was meant to hold for a month. Moscow shielded its refineries while continuing to strike Ukraine's grid.",
        "2025-04-10",
        &[
            ("UA", "!accuse", "energy_moratorium"),
            ("RU", "!accuse", "energy_moratorium"),
        ],
    );
    // With no truce in the text, fighting that goes on accuses no one.
    check_statements(
        "The regional governor said Russian forces kept shelling the outskirts of Kupiansk.",
        "2025-02-10",
        &[
            ("UA", "!accuse", "general_ceasefire"),
            ("UA", "!accuse", "other"),
        ],
    );
}

#[test]
fn an_envoy_speaks_for_the_sender_and_readiness_answers_an_offer() {
    // The host country after "ambassador to" is not the sayer.
    check_statements(
        "The British ambassador to Ukraine wrote that she was appalled by the strike, calling it barbaric.",
        "2025-04-05",
        &[("UA", "!condemn", "other")],
    );
    // "according to" still names the sayer.
    check_statements(
        "Putin announced a three-day truce around 9 May. According to Ukraine's foreign ministry, Russia violated the truce within hours.",
        "2025-05-09",
        &[("UA", "accuse", "may_truce")],
    );
    // Readiness for what the other side offered accepts it.
    check_statements(
        "Putin proposed direct talks in Istanbul on Thursday. Zelensky said Ukraine was ready for direct talks there.",
        "2025-05-12",
        &[
            ("UA", "accept", "peace_talks"),
            ("UA", "!propose", "peace_talks"),
        ],
    );
    // Readiness with nothing offered before, or for one described afresh, offers it.
    check_statements(
        "Zelensky said Ukraine was ready for direct talks with Moscow.",
        "2025-05-12",
        &[
            ("UA", "propose", "peace_talks"),
            ("UA", "!accept", "peace_talks"),
        ],
    );
    check_statements(
        "Moscow offered a pause around Easter. Kyiv said it was ready for a full ceasefire of thirty days.",
        "2025-04-19",
        &[("UA", "propose", "general_ceasefire")],
    );
}

#[test]
fn promises_in_the_first_person_commit() {
    let head = "Joint statement of the foreign ministers of the Baltic states\n\n";
    // Whatever the verb, "we will" promises a deed.
    check_statements(
        &format!("{head}We will go on supplying air defence systems to Ukraine."),
        "2025-05-20",
        &[("other", "commit", "weapons_aid")],
    );
    // The subject right before the promise speaks, not the one of the condition.
    check_statements(
        &format!("{head}If Moscow keeps stalling, we shall widen the sanctions on its oil trade."),
        "2025-05-20",
        &[
            ("other", "commit", "sanctions"),
            ("RU", "!commit", "sanctions"),
        ],
    );
    check_statements(
        &format!("{head}Should Moscow say no, we stand ready to add new sanctions on its banks."),
        "2025-05-20",
        &[
            ("other", "commit", "sanctions"),
            ("RU", "!commit", "sanctions"),
        ],
    );
    // A verb that carries its own act keeps it; refusals and wait-and-see promise nothing.
    check_statements(
        &format!("{head}We will accept the American proposal for a 30-day ceasefire."),
        "2025-05-20",
        &[
            ("other", "accept", "general_ceasefire"),
            ("other", "!commit", "general_ceasefire"),
        ],
    );
    check_statements(
        &format!("{head}We will never accept the occupation of Crimea."),
        "2025-05-20",
        &[("other", "!commit", "territory")],
    );
    check_statements(
        &format!("{head}We will see whether the sanctions work."),
        "2025-05-20",
        &[("other", "!commit", "sanctions")],
    );
}

#[test]
fn an_insistence_after_an_offer_is_a_demand_on_its_own_terms() {
    // "..., but insisted that ..." in a clause of its own demands; it accepts nothing.
    check_statements(
        "Putin declared a truce for the Victory Day parade. Sybiha said Kyiv was willing to sign a 30-day ceasefire today, but insisted that any ceasefire must be monitored, not a short pause around the parade.",
        "2025-05-01",
        &[
            ("UA", "demand", "general_ceasefire"),
            ("UA", "!demand", "may_truce"),
            ("UA", "!accept_conditionally", "general_ceasefire"),
        ],
    );
    // A topic the demand names itself still counts.
    check_statements(
        "Putin declared a truce for the Victory Day parade. Kyiv insisted that the parade truce must be extended to thirty days.",
        "2025-05-01",
        &[("UA", "demand", "may_truce")],
    );
}

// ---- inc4: zero casualties, period tallies, sources, targets, weapons, updates, places ----

#[test]
fn nobody_hurt_is_zero_in_its_many_phrasings() {
    let lead = "Russian drones struck a warehouse in Poltava on Saturday.";
    for (tail, killed, injured) in [
        ("Nobody was wounded in the strike.", "0 exact", "0 exact"),
        (
            "The attack caused no civilian casualties.",
            "0 exact",
            "0 exact",
        ),
        (
            "According to the governor, casualties were avoided.",
            "0 exact",
            "0 exact",
        ),
        ("Luckily there were no victims.", "0 exact", "0 exact"),
        (
            "There were neither dead nor wounded, no dead or wounded at all.",
            "0 exact",
            "0 exact",
        ),
        (
            "No one was killed or injured, officials said.",
            "0 exact",
            "0 exact",
        ),
        (
            "No deaths or injuries have been reported.",
            "0 exact",
            "0 exact",
        ),
        ("Local people were not hurt.", "0 exact", "0 exact"),
        (
            "There were no casualties among the population.",
            "0 exact",
            "0 exact",
        ),
        ("No civilians were harmed.", "0 exact", "0 exact"),
        ("None of the residents was injured.", "0 exact", "0 exact"),
        ("Everyone inside was unharmed.", "0 exact", "0 exact"),
        (
            "There have been no reports of casualties.",
            "0 exact",
            "0 exact",
        ),
        ("Victims: none.", "0 exact", "0 exact"),
        ("Injuries were not reported.", "null", "0 exact"),
        ("There were no injuries.", "null", "0 exact"),
        ("Nobody died.", "0 exact", "null"),
        (
            "No one among the plant's staff was injured.",
            "null",
            "0 exact",
        ),
        // Missing information and hedges are no zero.
        (
            "There is no information about casualties yet.",
            "null",
            "null",
        ),
        (
            "The number of casualties is being established.",
            "null",
            "null",
        ),
        (
            "There were no immediate reports of casualties.",
            "null",
            "null",
        ),
        ("There were no immediate casualties.", "null", "null"),
        ("No casualties were immediately reported.", "null", "null"),
        ("It was not clear whether anyone was hurt.", "null", "null"),
        ("No one appears to have been injured.", "null", "null"),
    ] {
        check(
            &format!("{lead} {tail}"),
            "2025-04-14",
            &[("killed", killed), ("injured", injured)],
        );
    }
}

#[test]
fn a_zero_said_of_another_region_stays_there() {
    let d = code(
        "Governors reported Ukrainian drone attacks overnight.\n\nIn the Kursk region, the governor said a drone hit a lorry in Lgov; the driver was injured.\n\nIn the Bryansk region, the governor said air defences downed four drones and that nobody was hurt.",
        "2025-05-08",
    );
    let lgov = d
        .incidents
        .iter()
        .find(|i| i.place.as_deref() == Some("Lgov"))
        .expect("Lgov incident");
    assert!(lgov.killed.count.is_none(), "{:#?}", d.incidents);
    assert_eq!(lgov.injured.count.map(|c| c.n), Some(1));
}

#[test]
fn counts_over_a_period_or_a_region_are_no_strike_s_casualties() {
    let lead = "A Russian glide bomb hit a school in Kupiansk on Tuesday, injuring two teachers.";
    for tail in [
        "Since the beginning of the year, 57 residents of the city have been killed.",
        "So far this year 60 people have been injured in the town.",
        "Over the past month, shelling killed 17 people in the district.",
        "Since February, Russian artillery has killed 57 civilians in the city.",
        "This month alone 40 people were wounded in the town.",
        "During the reporting period, 17 civilians were killed and 60 injured.",
        "In all, 60 residents have been injured in attacks on the city since the talks started.",
        "Altogether, the strikes on the oblast killed 17 people.",
        "Across the country, Russian attacks injured 60 people.",
    ] {
        check(
            &format!("{lead} {tail}"),
            "2025-04-16",
            &[
                ("place", "Kupiansk"),
                ("killed", "null"),
                ("injured", "2 exact"),
            ],
        );
    }
    // A month's tally of the dead is no incident of its own.
    no_incident(
        "In March, 57 civilians were killed in the Sumy region, the UN said.",
        "2025-04-16",
    );
    // A comparison with a period keeps the strike's own figure.
    check(
        "A Russian missile hit Sumy on Sunday. It was the deadliest strike on the city since January, killing 35.",
        "2025-04-16",
        &[("killed", "35 exact")],
    );
    check(
        "On Sunday, in the worst attack this year, missiles hit Sumy, killing 35 people.",
        "2025-04-16",
        &[("killed", "35 exact"), ("date", "2025-04-13")],
    );
}

#[test]
fn a_toll_update_updates_its_strike_and_keeps_its_day() {
    // 2025-04-18 is a Friday.
    for text in [
        "A Russian missile hit a dormitory in Kharkiv on Wednesday, killing 9. The death toll from Wednesday's strike on Kharkiv climbed to 14 on Friday, officials said.",
        "A Russian missile hit a dormitory in Kharkiv on Wednesday, killing 9.\n\nOn Friday, the mayor said the number of people killed in Kharkiv had risen to 14.",
        "On Friday the death toll from Wednesday’s missile strike on Kharkiv rose to 14, the governor said.",
    ] {
        check(
            text,
            "2025-04-18",
            &[
                ("place", "Kharkiv"),
                ("date", "2025-04-16"),
                ("killed", "14 exact"),
            ],
        );
    }
}

#[test]
fn a_periodic_overview_of_several_days_is_no_new_strike() {
    let head = "Human rights monitoring mission: periodic update\n\n";
    for body in [
        "From 14 to 20 April, Russian shelling damaged homes in Kherson.",
        "From 1 April to 7 April, strikes on Nikopol injured 11 civilians.",
        "Over 14-20 April, strikes on Nikopol injured 11 civilians.",
        "On 14, 16 and 18 April, drones struck Kherson.",
        "Between 14 and 20 April, drones hit Kherson, injuring nine people.",
        "The mission recorded strikes on Kherson on four days of the week.",
        "During the reporting period, shelling damaged a school in Kherson.",
        "In Dnipropetrovsk region, the mission recorded strikes on energy facilities in Pavlohrad over the week.",
    ] {
        no_incident(&format!("{head}{body}"), "2025-04-25");
    }
    // A night named by its two days, and one day with its place, stay incidents.
    check(
        &format!("{head}On the night of 19-20 April, drones hit a school in Kherson."),
        "2025-04-25",
        &[("date", "2025-04-20"), ("place", "Kherson")],
    );
    check(
        &format!(
            "{head}On 19 April, during the reporting period, a drone hit a school in Kherson."
        ),
        "2025-04-25",
        &[("date", "2025-04-19"), ("place", "Kherson")],
    );
}

#[test]
fn agency_copy_speaks_for_whom_it_cites_and_services_for_their_side() {
    check(
        "Ukrainian drones set fire to a fuel depot in Bryansk on Monday, TASS reported, citing the regional governor.",
        "2025-04-15",
        &[("reported_by", "RU"), ("perpetrator", "UA")],
    );
    check(
        "Interfax reported on Monday, quoting the governor, that a drone had hit a house in Belgorod.",
        "2025-04-15",
        &[("reported_by", "RU")],
    );
    check(
        "RIA Novosti reported, citing the Russian Defence Ministry, that Russian forces struck a depot in Kharkiv on Monday.",
        "2025-04-15",
        &[("reported_by", "RU"), ("perpetrator", "RU")],
    );
    // Without anyone cited, the agency reports on its own.
    check(
        "A drone hit a house in Belgorod on Monday, TASS reported.",
        "2025-04-15",
        &[("reported_by", "media")],
    );
    // Whoever is told is no source: the teller is.
    check(
        "Drones hit a school in Kharkiv on Monday, the mayor told Reuters.",
        "2025-04-15",
        &[("reported_by", "UA")],
    );
    // Ukraine's security service telling of a strike in Russia tells of its own operation,
    // and stays the source when the Russian governor speaks later.
    check(
        "Drones struck an oil refinery in Ryazan on Monday, the SBU said.",
        "2025-04-15",
        &[("reported_by", "UA"), ("perpetrator", "UA")],
    );
    check(
        "SBU drones hit an oil refinery in Ryazan overnight, a source in Ukraine's Security Service told the Kyiv Independent. Ryazan governor Pavel Malkov said debris from a downed drone fell on an enterprise.",
        "2025-04-15",
        &[("reported_by", "UA"), ("perpetrator", "UA")],
    );
}

#[test]
fn targets_of_several_kinds_and_aircraft_at_bases() {
    check(
        "The enemy attacked Zaporizhzhia at dawn. An industrial enterprise and a nine-storey building were damaged.",
        "2025-05-14",
        &[("targets", "civilian,industrial")],
    );
    check(
        "A Russian missile hit the centre of Sumy on Monday, damaging a university and the regional state administration.",
        "2025-04-15",
        &[("targets", "civilian,government")],
    );
    check(
        "Drones struck the oil terminal at the port of Novorossiysk on Monday.",
        "2025-04-15",
        &[("targets", "energy,transport")],
    );
    check(
        "Drones attacked Engels on Monday. Two strategic bombers were damaged at the airfield.",
        "2025-04-15",
        &[("targets", "military")],
    );
    check(
        "Ukrainian drones destroyed two Tu-95 aircraft at Engels on Monday.",
        "2025-04-15",
        &[("targets", "military")],
    );
    // "without power" households are no civilian target of an energy strike.
    check(
        "Russian drones hit a substation in Kherson overnight, leaving thousands of households without power.",
        "2025-04-15",
        &[("targets", "energy")],
    );
    // A supplier speaks for itself.
    check(
        "A drone hit a power substation in Kherson on Monday, according to the regional energy supplier.",
        "2025-04-15",
        &[("reported_by", "other")],
    );
}

#[test]
fn weapons_stay_with_their_own_strike() {
    let d = code(
        "Overnight a ballistic missile hit Dnipro and a drone struck a house in Kharkiv.",
        "2025-04-15",
    );
    let weapons = |place: &str| {
        d.incidents
            .iter()
            .find(|i| i.place.as_deref() == Some(place))
            .map(|i| {
                i.weapons
                    .iter()
                    .map(|w| w.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            })
    };
    assert_eq!(
        weapons("Dnipro").as_deref(),
        Some("ballistic_missile"),
        "{d:#?}"
    );
    assert_eq!(weapons("Kharkiv").as_deref(), Some("drone"), "{d:#?}");
    // Both places under one weapon keep it.
    let d = code(
        "Drones hit houses in Kharkiv and Sumy overnight.",
        "2025-04-15",
    );
    assert!(
        d.incidents
            .iter()
            .all(|i| i.weapons.iter().map(|w| w.as_str()).collect::<Vec<_>>() == ["drone"]),
        "{d:#?}"
    );
    // A nationwide tally's weapons are not the weapon of a town named next.
    check(
        "Russia launched missiles and drones at Ukraine overnight, the air force said. In Poltava, an industrial enterprise was hit, the governor said.",
        "2025-04-15",
        &[("place", "Poltava"), ("weapons", "unknown")],
    );
    // A strike on a named place passes its weapon on.
    check(
        "Russian drones attacked Odesa overnight. A house was hit in the Kyivskyi district.",
        "2025-04-15",
        &[("place", "Odesa"), ("weapons", "drone")],
    );
}

#[test]
fn facilities_are_placed_at_their_settlement() {
    for (text, place, admin1) in [
        (
            "A drone struck a transformer near the Zaporizhzhia nuclear power plant on Monday.",
            "Enerhodar",
            "Zaporizhzhia Oblast",
        ),
        (
            "Shelling damaged a building of the ZNPP on Monday, the IAEA said.",
            "Enerhodar",
            "Zaporizhzhia Oblast",
        ),
        (
            "Ukrainian drones hit bombers at the Olenya air base on Sunday.",
            "Olenegorsk",
            "Murmansk Oblast",
        ),
        (
            "Drones struck the Belaya air base in the Irkutsk region on Sunday.",
            "Sredny",
            "Irkutsk Oblast",
        ),
        (
            "A drone hit the roof of a building at the Kursk NPP on Sunday.",
            "Kurchatov",
            "Kursk Oblast",
        ),
    ] {
        check(text, "2025-04-15", &[("place", place), ("admin1", admin1)]);
    }
    // One settlement named twice (the facility and the town) is one place: targets are read
    // over the whole clause ("the plant" beside the power plant is the energy site).
    check(
        "Officials at the Zaporizhzhia nuclear power plant said a drone struck a transformer at the plant in Enerhodar on Monday.",
        "2025-04-15",
        &[("place", "Enerhodar"), ("targets", "energy")],
    );
    // The city of the same name stays the city.
    check(
        "A drone hit a house in Kursk on Sunday.",
        "2025-04-15",
        &[("place", "Kursk")],
    );
    check(
        "Russian drones attacked the area of Kamianka-Dniprovska on Monday, injuring two.",
        "2025-04-15",
        &[("place", "Kamianka-Dniprovska"), ("injured", "2 exact")],
    );
}

#[test]
fn casualties_in_a_second_clause_and_one_more_dead() {
    check(
        "A Russian missile hit Odesa on Monday; at least 18 people injured, the governor said.",
        "2025-04-15",
        &[("place", "Odesa"), ("injured", "18 at_least")],
    );
    check(
        "Vovchansk came under guided-bomb attack on Monday; two people were injured.",
        "2025-04-15",
        &[("injured", "2 exact")],
    );
    // One more dead is added to the figure so far; an updated toll replaces it.
    check(
        "A Russian drone hit a minibus in Kherson on Monday, killing a man. Another passenger died later in hospital.",
        "2025-04-15",
        &[("killed", "2 exact")],
    );
    check(
        "A Russian drone hit a minibus in Kherson on Monday, killing two. The death toll later rose to three.",
        "2025-04-15",
        &[("killed", "3 exact")],
    );
    // Another strike elsewhere adds nothing to the first.
    let d = code(
        "A drone hit Odesa on Monday, killing two. Another drone hit Kherson, killing one.",
        "2025-04-15",
    );
    let odesa = d
        .incidents
        .iter()
        .find(|i| i.place.as_deref() == Some("Odesa"))
        .expect("Odesa");
    assert_eq!(odesa.killed.count.map(|c| c.n), Some(2), "{d:#?}");
}

#[test]
fn an_earlier_event_recalled_lends_no_casualties() {
    let lead = "A Russian drone hit a house in Sumy on Tuesday, killing one man.";
    for tail in [
        "The attack came days after a missile strike on the city killed 35 people.",
        "In a similar attack a week ago, 17 people were killed.",
        "The previous strike on the city killed 35.",
        "Two months ago, a missile attack on the centre killed 35 residents.",
    ] {
        check(
            &format!("{lead} {tail}"),
            "2025-04-16",
            &[("place", "Sumy"), ("killed", "1 exact")],
        );
    }
    // Hours after a non-attack event, a strike of its own stays one.
    check(
        "Hours after the talks ended, Russian drones hit a school in Sumy on Tuesday, injuring four.",
        "2025-04-16",
        &[("place", "Sumy"), ("injured", "4 exact")],
    );
}

#[test]
fn a_settlement_attacked_as_such_is_a_civilian_target() {
    for text in [
        "Russian artillery shelled the village of Bilozerka on Monday.",
        "On Monday the enemy dropped two guided bombs on the town of Vovchansk.",
        "On Monday, the village of Tyotkino in the Kursk region was shelled by Ukrainian forces.",
    ] {
        check(text, "2025-04-15", &[("targets", "civilian")]);
    }
    // A target named, in the clause or the next sentence, stands instead.
    check(
        "Drones attacked the town of Lgov on Monday night. A power line was damaged.",
        "2025-04-15",
        &[("targets", "energy")],
    );
    check(
        "Russian artillery shelled a substation in the village of Bilozerka on Monday.",
        "2025-04-15",
        &[("targets", "energy")],
    );
    // A settlement named as where something else was hit is no target itself.
    check(
        "Near the village of Bilozerka, Russian drones hit a railway bridge on Monday.",
        "2025-04-15",
        &[("targets", "transport")],
    );
}

// ---- stmt4: general mechanisms for unseen statement writing (modals read as acts, titles and
// pronouns for speakers, more verbs of saying, a holiday that only dates a ceasefire) ----

/// A short text, its publication day, and the `(party, act, about)` it should yield (a `!`
/// before the act: must not be coded).
type StatementCase<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str, &'a str)]);

#[test]
fn modals_titles_and_verbs_of_saying_on_unseen_phrasings() {
    let cases: &[StatementCase] = &[
        (
            "Sergei Lavrov spoke to reporters in Ankara on Tuesday. The minister said Moscow would not withdraw its troops from the four regions under any deal.",
            "2025-04-22",
            &[("RU", "reject", "territory")],
        ),
        (
            "Andrii Sybiha met EU envoys in Kyiv on Monday. Ukraine's top diplomat made clear that Kyiv would never cede occupied land to Russia.",
            "2025-04-22",
            &[("UA", "reject", "territory")],
        ),
        (
            "Moscow indicated on Wednesday that it would keep its missiles away from Ukrainian power stations for another month.",
            "2025-04-16",
            &[("RU", "commit", "energy_moratorium")],
        ),
        (
            "Asked about the talks, Zelensky's chief of staff said Ukraine was prepared to send a delegation to Istanbul next week.",
            "2025-05-12",
            &[("UA", "commit", "peace_talks")],
        ),
        (
            "Russia's position is that any ceasefire has to include a halt to Western arms deliveries, Peskov told journalists.",
            "2025-05-12",
            &[("RU", "demand", "weapons_aid")],
        ),
        (
            "Speaking after the call, the British prime minister stressed that Moscow had to agree to a full and unconditional ceasefire without delay.",
            "2025-03-19",
            &[("UK", "demand", "general_ceasefire")],
        ),
        (
            "Kaja Kallas spoke in Brussels on Thursday. She urged Russia to accept a truce now and stop the killing.",
            "2025-05-08",
            &[
                ("EU", "demand", "general_ceasefire"),
                ("EU", "!propose", "general_ceasefire"),
            ],
        ),
        (
            "The Ukrainian General Staff said claims that its drones had struck the Sudzha gas station during the energy truce were fake.",
            "2025-03-22",
            &[("UA", "deny", "energy_moratorium")],
        ),
        (
            "Russia's defence ministry, for its part, insisted its units had not fired a single shot during the Easter pause.",
            "2025-04-21",
            &[
                ("RU", "deny", "easter_truce"),
                ("RU", "!demand", "easter_truce"),
            ],
        ),
        (
            "Peskov argued that Kyiv had used the Easter truce to regroup and had shelled Russian positions hundreds of times.",
            "2025-04-21",
            &[
                ("RU", "accuse", "easter_truce"),
                ("RU", "!demand", "easter_truce"),
            ],
        ),
        (
            "The Ukrainian delegation said Moscow's negotiators had come to Istanbul with ultimatums, accusing them of wrecking the talks.",
            "2025-05-16",
            &[("UA", "accuse", "peace_talks")],
        ),
        (
            "Washington's offer to host the next round of talks still stands, the secretary of state said.",
            "2025-05-13",
            &[("US", "propose", "peace_talks")],
        ),
        (
            "The United States pledged to help guarantee safe passage for merchant ships in the Black Sea.",
            "2025-03-26",
            &[("US", "commit", "maritime_ceasefire")],
        ),
        (
            "Analysts said Moscow would probably reject any ceasefire that did not include territorial gains.",
            "2025-05-13",
            &[
                ("RU", "!reject", "general_ceasefire"),
                ("RU", "!reject", "territory"),
            ],
        ),
        (
            "Would Kyiv accept a truce that froze the front line? Officials have not said.",
            "2025-05-13",
            &[("UA", "!accept", "general_ceasefire")],
        ),
        (
            "Zelensky told lawmakers that Ukraine would hand over 390 Russian soldiers in the prisoner swap agreed in Istanbul.",
            "2025-05-20",
            &[("UA", "commit", "prisoner_exchange")],
        ),
        (
            "In a statement, Ukraine's foreign ministry said it wanted a complete ceasefire for at least thirty days, not a show truce around a parade.",
            "2025-05-09",
            &[
                ("UA", "demand", "general_ceasefire"),
                ("UA", "!demand", "may_truce"),
            ],
        ),
        (
            "Zelensky proposed extending the ceasefire beyond Easter for at least 30 days.",
            "2025-04-17",
            &[
                ("UA", "propose", "general_ceasefire"),
                ("UA", "!propose", "easter_truce"),
            ],
        ),
        (
            "The Kremlin's chief negotiator reiterated that Ukraine must pull its forces out of the Donetsk region before any truce.",
            "2025-05-11",
            &[("RU", "demand", "territory")],
        ),
        (
            "Emmanuel Macron spoke after the Jeddah meeting. The French president said he would keep sending weapons to Kyiv.",
            "2025-03-12",
            &[("other", "commit", "weapons_aid")],
        ),
        (
            "Ukraine's army spokesman called the Russian video \"a clumsy fake\" and said Ukrainian units had not hit the depot at all.",
            "2025-05-09",
            &[("UA", "deny", "other")],
        ),
        (
            "Moscow declared an Easter truce on Saturday. The Kremlin's press office brushed aside the Ukrainian tallies as \"pure invention\".",
            "2025-04-20",
            &[("RU", "deny", "easter_truce")],
        ),
        (
            "Peskov was asked about the talks. \"A truce must rest on guarantees, not on promises,\" he said.",
            "2025-05-13",
            &[
                ("RU", "demand", "general_ceasefire"),
                ("RU", "!demand", "other"),
            ],
        ),
        (
            "The Kremlin said Russia had stopped firing for the parade and that it was now up to Kyiv to agree to a full ceasefire.",
            "2025-05-08",
            &[("RU", "demand", "general_ceasefire")],
        ),
        (
            "Britain's defence secretary said London would go on shipping weapons to Kyiv. \"We will train Ukrainian pilots too,\" he wrote.",
            "2025-03-18",
            &[
                ("UK", "commit", "weapons_aid"),
                ("UK", "!commit", "maritime_ceasefire"),
            ],
        ),
        (
            "Zelensky said Ukraine was open to talks in any format but would not pull its troops out of the Donbas.",
            "2025-05-17",
            &[
                ("UA", "reject", "territory"),
                ("UA", "!reject", "peace_talks"),
            ],
        ),
        (
            "Moscow announced a thirty-hour Easter truce. A Kremlin aide said Russia would never agree to a ceasefire that let Kyiv regroup.",
            "2025-04-20",
            &[
                ("RU", "reject", "general_ceasefire"),
                ("RU", "!reject", "easter_truce"),
            ],
        ),
        (
            "Ukraine's military intelligence flatly denied any part in the blast, a spokesman said.",
            "2025-04-01",
            &[("UA", "deny", "other")],
        ),
        (
            "Commentators said Kyiv would probably send its negotiators back to Istanbul if pressed.",
            "2025-05-20",
            &[
                ("UA", "!commit", "peace_talks"),
                ("UA", "!propose", "peace_talks"),
            ],
        ),
        (
            "Will Washington keep sending weapons if the talks fail? The answer is unclear.",
            "2025-05-20",
            &[("US", "!commit", "weapons_aid")],
        ),
        (
            "Andrii Sybiha spoke in Vilnius. He stressed that there can be no recognition of Crimea as Russian under any settlement.",
            "2025-03-19",
            &[("UA", "reject", "territory")],
        ),
        (
            "Kaja Kallas addressed MEPs on Tuesday. The bloc, she said, would keep supplying weapons to Ukraine.",
            "2025-05-06",
            &[("EU", "commit", "weapons_aid")],
        ),
        (
            "Marco Rubio said Washington would no longer mediate between the two sides in the talks.",
            "2025-05-02",
            &[
                ("US", "!reject", "peace_talks"),
                ("US", "!commit", "peace_talks"),
            ],
        ),
        (
            "Andrii Sybiha said Moscow was sabotaging the talks in Istanbul by sending junior officials.",
            "2025-05-16",
            &[("UA", "accuse", "peace_talks")],
        ),
        (
            "David Lammy said Putin plainly did not want peace and was hiding behind the negotiations.",
            "2025-05-16",
            &[("UK", "accuse", "peace_talks")],
        ),
        (
            "The Russian delegation said Kyiv must withdraw its troops from four regions before any ceasefire.",
            "2025-06-02",
            &[
                ("RU", "demand", "territory"),
                ("UA", "!demand", "territory"),
            ],
        ),
        (
            "According to the Kremlin, Russia would halt strikes on energy facilities for thirty days.",
            "2025-03-19",
            &[("RU", "commit", "energy_moratorium")],
        ),
        (
            "Moscow's negotiators told the Ukrainians that Russia would not return the occupied territories.",
            "2025-06-02",
            &[("RU", "reject", "territory")],
        ),
        (
            "Ukraine's position is that a full ceasefire has to come first, Sybiha said.",
            "2025-05-11",
            &[("UA", "demand", "general_ceasefire")],
        ),
        (
            "Maria Zakharova held her weekly briefing on Monday. The spokeswoman told reporters that Kyiv had broken the Easter truce more than a thousand times.",
            "2025-04-21",
            &[
                ("RU", "accuse", "easter_truce"),
                ("UA", "!accuse", "easter_truce"),
            ],
        ),
        (
            "Donald Trump floated the idea of joining the talks in Istanbul himself.",
            "2025-05-14",
            &[("US", "propose", "peace_talks")],
        ),
        (
            "The White House has offered to host a meeting between the two presidents.",
            "2025-05-14",
            &[("US", "propose", "peace_talks")],
        ),
        (
            "Zelensky said the proposal for an Easter truce was a cynical stunt and that Ukraine still wanted an unconditional ceasefire for thirty days.",
            "2025-04-19",
            &[
                ("UA", "!propose", "easter_truce"),
                ("UA", "demand", "general_ceasefire"),
            ],
        ),
        (
            "Zelensky on Sunday proposed extending the Easter truce for a full month.",
            "2025-04-20",
            &[
                ("UA", "propose", "general_ceasefire"),
                ("UA", "!propose", "easter_truce"),
            ],
        ),
        (
            "Putin announced an Easter truce on Saturday. Peskov said Russia would respect the Easter truce until midnight on Sunday.",
            "2025-04-19",
            &[
                ("RU", "commit", "easter_truce"),
                ("RU", "!accept", "easter_truce"),
            ],
        ),
        (
            "Moscow declared a three-day truce for the parade; Kyiv said it would not play along.",
            "2025-04-29",
            &[
                ("RU", "commit", "may_truce"),
                ("UA", "!commit", "may_truce"),
            ],
        ),
        (
            "Kyiv renewed its call for a full and unconditional ceasefire on Monday.",
            "2025-05-12",
            &[("UA", "propose", "general_ceasefire")],
        ),
        (
            "Ukraine's offer of a thirty-day ceasefire still stands, Sybiha told reporters.",
            "2025-05-12",
            &[("UA", "propose", "general_ceasefire")],
        ),
        (
            "Zelensky repeated his refusal to recognise Crimea as Russian.",
            "2025-04-24",
            &[("UA", "reject", "territory")],
        ),
        (
            "The Kremlin reiterated its demand that Ukraine abandon its NATO ambitions.",
            "2025-05-12",
            &[("RU", "demand", "other")],
        ),
        (
            "Washington said it would help ensure safe navigation in the Black Sea.",
            "2025-03-25",
            &[("US", "commit", "maritime_ceasefire")],
        ),
        (
            "The Russian side rejected the idea of a thirty-day ceasefire, Ushakov told journalists.",
            "2025-05-12",
            &[("RU", "reject", "general_ceasefire")],
        ),
        (
            "Kaja Kallas, speaking after talks with Marco Rubio, said a full ceasefire must come first.",
            "2025-05-12",
            &[
                ("EU", "demand", "general_ceasefire"),
                ("US", "!demand", "general_ceasefire"),
            ],
        ),
        (
            "Speaking in Washington after meeting Trump, Starmer said Putin had to agree to a thirty-day ceasefire now.",
            "2025-05-12",
            &[
                ("UK", "demand", "general_ceasefire"),
                ("US", "!demand", "general_ceasefire"),
            ],
        ),
        // Forecasts, commentary, questions and other sides' intentions take no position.
        (
            "Many in Kyiv fear that Russia will use any pause to regroup, according to a poll published on Monday.",
            "2025-05-20",
            &[("RU", "!commit", "general_ceasefire")],
        ),
        (
            "Diplomats said the talks in Istanbul would probably resume next month.",
            "2025-05-20",
            &[
                ("RU", "!commit", "peace_talks"),
                ("UA", "!commit", "peace_talks"),
            ],
        ),
        (
            "Could Russia be persuaded to halt its strikes on power plants? The Kremlin has not said.",
            "2025-05-20",
            &[("RU", "!commit", "energy_moratorium")],
        ),
        (
            "An analyst in Berlin said Moscow must be feeling the pressure of the sanctions.",
            "2025-05-20",
            &[("RU", "!demand", "sanctions")],
        ),
        (
            "Zelensky said Russia would use the Easter truce to regroup its forces.",
            "2025-05-20",
            &[
                ("RU", "!commit", "easter_truce"),
                ("UA", "!commit", "easter_truce"),
            ],
        ),
        (
            "A source close to the Kremlin said Putin would not agree to any freeze of the front line.",
            "2025-05-20",
            &[
                ("RU", "!reject", "general_ceasefire"),
                ("RU", "!reject", "territory"),
            ],
        ),
        (
            "Experts said Kyiv would never give up Crimea, whatever Washington offers.",
            "2025-05-20",
            &[("UA", "!reject", "territory")],
        ),
        (
            "Peskov said Russia would study the proposal carefully before answering.",
            "2025-05-20",
            &[
                ("RU", "!commit", "peace_talks"),
                ("RU", "!reject", "peace_talks"),
            ],
        ),
        (
            "Asked if Ukraine would withdraw from Donetsk, Zelensky's spokesman said the question did not arise.",
            "2025-05-20",
            &[("UA", "!reject", "territory")],
        ),
    ];
    for (text, published, want) in cases {
        check_statements(text, published, want);
    }
}
