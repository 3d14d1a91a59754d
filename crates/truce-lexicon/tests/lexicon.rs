//! Lexicon: embedded files parse, terms are found, bad files name file, line and field.

use truce_lexicon::{ActorKind, Cue, Entry, Lexicon, lower_same_len, tokenize};
use truce_model::{About, Act, Party, Target, Weapon};

/// Scans `text` with `lex` and returns the entries found, with their words.
fn scan(lex: &Lexicon, text: &str) -> Vec<(String, Entry)> {
    let lower = lower_same_len(text);
    let toks = tokenize(&lower);
    let words: Vec<&str> = toks.iter().map(|t| &lower[t.start..t.end]).collect();
    lex.scan(&words)
        .into_iter()
        .map(|h| (words[h.start..h.end].join(" "), h.entry))
        .collect()
}

fn check(text: &str, words: &str, want: Entry) {
    let lex = Lexicon::embedded();
    let found = scan(&lex, text);
    assert!(
        found.iter().any(|(w, e)| w == words && *e == want),
        "{text:?}: expected {words:?} -> {want:?}, found {found:?}"
    );
}

fn actor_party(lex: &Lexicon, e: Entry) -> Option<Party> {
    match e {
        Entry::Actor(i) => lex.actor(i).map(|a| a.party),
        _ => None,
    }
}

#[test]
fn embedded_dictionaries_parse() {
    let lex = truce_lexicon::Lexicon::parse(truce_lexicon::EMBEDDED).expect("embedded lexicon");
    assert!(lex.len() > 500, "only {} terms", lex.len());
    assert!(
        lex.actors()
            .iter()
            .any(|a| a.name == "Vladimir Putin" && a.kind == ActorKind::Person)
    );
}

#[test]
fn weapons_targets_and_cues_are_found() {
    check(
        "two Iskander missiles",
        "iskander",
        Entry::Weapon(Weapon::BallisticMissile),
    );
    check(
        "Shaheds hit the city",
        "shaheds",
        Entry::Weapon(Weapon::Drone),
    );
    check(
        "a Kh-101 cruise missile",
        "kh-101",
        Entry::Weapon(Weapon::CruiseMissile),
    );
    check(
        "guided aerial bombs fell",
        "guided aerial bombs",
        Entry::Weapon(Weapon::GlideBomb),
    );
    check("HIMARS rockets", "himars", Entry::Weapon(Weapon::Rocket));
    check(
        "the gas metering station",
        "gas metering station",
        Entry::Target(Target::Energy),
    );
    check(
        "an apartment block",
        "apartment block",
        Entry::Target(Target::Civilian),
    );
    check(
        "the Tuapse refinery",
        "refinery",
        Entry::Target(Target::Energy),
    );
    check(
        "he agreed in principle",
        "agreed in principle",
        Entry::Act(Act::AcceptConditionally),
    );
    check(
        "a halt to weapons deliveries",
        "weapons deliveries",
        Entry::About(About::WeaponsAid),
    );
    check("killing three", "killing", Entry::Cue(Cue::Kill));
}

#[test]
fn longest_match_wins_within_a_class() {
    let lex = Lexicon::embedded();
    let found = scan(&lex, "ballistic missiles struck");
    let weapons: Vec<_> = found
        .iter()
        .filter(|(_, e)| matches!(e, Entry::Weapon(_)))
        .collect();
    assert_eq!(weapons.len(), 1, "{found:?}");
    assert_eq!(weapons[0].1, Entry::Weapon(Weapon::BallisticMissile));
}

#[test]
fn actors_map_to_parties() {
    let lex = Lexicon::embedded();
    for (text, party) in [
        ("the Kremlin said", Party::Ru),
        ("Peskov said", Party::Ru),
        ("Kyiv denied", Party::Ua),
        ("Zelenskyy said", Party::Ua),
        ("the White House said", Party::Us),
        ("Witkoff said", Party::Us),
        ("Rutte said", Party::Nato),
        ("Russia’s army", Party::Ru),
        ("Trump's plan", Party::Us),
    ] {
        let found = scan(&lex, text);
        assert!(
            found
                .iter()
                .any(|(_, e)| actor_party(&lex, *e) == Some(party)),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn user_files_extend_the_embedded_ones() {
    let extra = Lexicon::parse(&[(
        "mine.toml",
        "# test\n[[actor]]\nname = \"Ivan Example\"\nparty = \"RU\"\nkind = \"person\"\n\n[weapon]\ndrone = [\"Molniya\"]\n",
    )])
    .expect("parses");
    let lex = Lexicon::embedded().extend(extra);
    let found = scan(&lex, "Ivan Example launched a Molniya");
    assert!(
        found
            .iter()
            .any(|(_, e)| actor_party(&lex, *e) == Some(Party::Ru)),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(_, e)| *e == Entry::Weapon(Weapon::Drone)),
        "{found:?}"
    );
}

fn check_error(contents: &str, line: usize, field: &str) {
    let e = Lexicon::parse(&[("bad.toml", contents)]).expect_err("must fail");
    assert_eq!(e.file, "bad.toml");
    assert_eq!((e.line, e.field.as_str()), (line, field), "{e}");
}

#[test]
fn bad_files_name_file_line_and_field() {
    check_error("[weapon]\nlaser = [\"beam\"]\n", 2, "weapon.laser");
    check_error(
        "[[actor]]\nname = \"X\"\nparty = \"XX\"\n",
        3,
        "actor[0].party",
    );
    check_error(
        "[[actor]]\nname = \"X\"\nparty = \"RU\"\nkind = \"alien\"\n",
        4,
        "actor[0].kind",
    );
    check_error("[cue]\nattack = [\"a\", 3]\n", 2, "cue.attack");
    check_error("[cue\nattack = 1\n", 1, "(syntax)");
    check_error("[spells]\nx = 1\n", 1, "spells");
}

/// The hits of `text` in a lexicon of drone words: (words, possessive), after checking that a
/// scan over word ids looked up once finds the same hits as a scan over the words.
fn forms(text: &str) -> Vec<(String, bool)> {
    let lex = Lexicon::parse(&[(
        "forms.toml",
        "# test\n[weapon]\ndrone = [\"Molniya\", \"Lancet box\", \"Geran sky drone\"]\n",
    )])
    .expect("parses");
    let lower = lower_same_len(text);
    let toks = tokenize(&lower);
    let words: Vec<&str> = toks.iter().map(|t| &lower[t.start..t.end]).collect();
    let ids: Vec<_> = words.iter().map(|w| lex.word_ids(w)).collect();
    let hits = lex.scan(&words);
    assert_eq!(lex.scan_ids(&ids), hits, "{text}");
    hits.iter()
        .map(|h| (words[h.start..h.end].join(" "), h.possessive))
        .collect()
}

#[test]
fn a_term_last_word_takes_plural_and_possessive_endings() {
    let hit = |w: &str, p: bool| vec![(w.to_string(), p)];
    for (text, want) in [
        ("a Molniya hit", hit("molniya", false)),
        ("two Molniyas hit", hit("molniyas", false)),
        ("the Molniya's wing", hit("molniya's", true)),
        ("the Molniya’s wing", hit("molniya’s", true)),
        ("Lancet boxes", hit("lancet boxes", false)),
        ("the Lancet box's lid", hit("lancet box's", true)),
        ("Geran sky drones", hit("geran sky drones", false)),
        // Only the last word takes an ending.
        ("Lancets box", vec![]),
        ("Geran skys drone", vec![]),
        ("Molniyax", vec![]),
        ("Lancet", vec![]),
    ] {
        assert_eq!(forms(text), want, "{text}");
    }
}
