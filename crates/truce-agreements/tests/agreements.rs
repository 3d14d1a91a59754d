//! Integration tests of truce-agreements: the shipped examples, the in-force rule, and golden
//! error messages for bad input (tests/bad/*.toml, expected output in *.expected; set
//! UPDATE_GOLDEN=1 to rewrite them after a deliberate change).

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use truce_agreements::{
    Agreement, AgreementSet, Countries, Kind, Party, PositionKind, Status, SubKinds, Target,
    parse_agreement,
};

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/agreements")
}

fn examples() -> AgreementSet {
    let mut files = Vec::new();
    for e in std::fs::read_dir(examples_dir()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            files.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    let (set, errors) =
        AgreementSet::parse_files(files.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    assert!(errors.is_empty(), "{errors:#?}");
    set
}

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

#[test]
fn embedded_sub_kinds_parse() {
    let text = include_str!("../data/target_sub_kinds.toml");
    let s = SubKinds::parse(text).unwrap();
    assert!(s.knows(Target::Energy, "oil_refinery"));
    assert!(!s.knows(Target::Energy, "bakery"));
    assert_eq!(SubKinds::embedded(), s);
}

#[test]
fn ships_the_five_2025_agreements() {
    let set = examples();
    let ids: Vec<&str> = set.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "black_sea_2025",
            "easter_truce_2025",
            "energy_moratorium_2025",
            "general_ceasefire_2025",
            "victory_day_truce_2025"
        ]
    );
    for a in &set {
        assert_eq!(a.file, format!("{}.toml", a.id), "file named after its id");
        assert!(!a.positions.is_empty());
    }
}

/// One in-force expectation: (agreement, instant, in force?, bound parties at that instant).
fn check_in_force(a: &Agreement, at: &str, in_force: bool, bound: &[Party]) {
    let t = t(at);
    assert_eq!(a.in_force_at(t), in_force, "{} in force at {at}", a.id);
    for &p in &[Party::Ru, Party::Ua, Party::Us] {
        assert_eq!(
            a.binds(p, t),
            bound.contains(&p),
            "{} binds {p} at {at}",
            a.id
        );
    }
}

#[test]
fn in_force_rule_on_the_2025_record() {
    let set = examples();
    let get = |id: &str| set.get(id).unwrap();
    use Party::*;

    // No general ceasefire is ever in force, nor the Black Sea one.
    for id in ["general_ceasefire_2025", "black_sea_2025"] {
        let a = get(id);
        assert!(!a.ever_in_force(), "{id}");
        assert_eq!(
            a.status_at(t("2025-04-01T12:00:00+03:00")),
            Status::NeverInForce
        );
        check_in_force(a, "2025-04-13T10:00:00+03:00", false, &[]);
    }

    let em = get("energy_moratorium_2025");
    assert_eq!(em.kind, Kind::Partial);
    assert_eq!(em.protected.targets, [Target::Energy]);
    assert_eq!(
        em.geography.countries,
        Countries::Only(vec!["RU".into(), "UA".into()])
    );
    check_in_force(em, "2025-03-14T12:00:00+03:00", false, &[]);
    // In the window but Ukraine has not accepted yet.
    check_in_force(em, "2025-03-18T20:00:00+03:00", false, &[]);
    check_in_force(em, "2025-03-19T00:00:00+03:00", true, &[Ru, Ua]);
    check_in_force(em, "2025-04-13T08:00:00+03:00", true, &[Ru, Ua]);
    check_in_force(em, "2025-04-17T23:59:59+03:00", true, &[Ru, Ua]);
    check_in_force(em, "2025-04-18T00:00:00+03:00", false, &[]);
    assert_eq!(em.status_at(t("2025-05-01T00:00:00+03:00")), Status::Lapsed);
    assert_eq!(
        em.status_at(t("2025-03-01T00:00:00+03:00")),
        Status::Pending
    );

    let easter = get("easter_truce_2025");
    check_in_force(easter, "2025-04-19T17:59:59+03:00", false, &[]);
    check_in_force(easter, "2025-04-19T18:00:00+03:00", true, &[Ru, Ua]);
    check_in_force(easter, "2025-04-20T15:00:00Z", true, &[Ru, Ua]);
    check_in_force(easter, "2025-04-20T21:00:00Z", false, &[]);

    let may = get("victory_day_truce_2025");
    check_in_force(may, "2025-05-07T23:59:59+03:00", false, &[]);
    check_in_force(may, "2025-05-09T12:00:00+03:00", true, &[Ru]);
    check_in_force(may, "2025-05-11T00:00:00+03:00", false, &[]);
    assert_eq!(may.bound_parties(), [Ru]);

    // Every party's timeline is dated and conditional acceptances carry conditions.
    for a in &set {
        for p in &a.positions {
            if p.kind == PositionKind::AcceptedConditionally {
                assert!(!p.conditions.is_empty(), "{} {}", a.id, p.party);
            }
        }
    }
}

#[test]
fn mirroring_party_binds_only_unilateral_truces_from_its_pledge() {
    let text = |mirror_date: &str| {
        format!(
            r#"
id = "m"
title = "M"
kind = "unilateral_truce"
about = "easter_truce"
parties = ["RU", "UA"]
time_zone = "+03:00"
[[windows]]
start = 2025-04-19T18:00:00+03:00
end = 2025-04-21T00:00:00+03:00
[protected]
targets = "all"
[geography]
countries = "all"
[[positions]]
party = "RU"
position = "declared"
date = 2025-04-19
statement = "s"
source = "o"
[[positions]]
party = "UA"
position = "accepted_conditionally"
date = {mirror_date}
at = {mirror_date}T12:00:00+03:00
mirror = true
conditions = ["mirror"]
statement = "s"
source = "o"
"#
        )
    };
    let a = parse_agreement("m.toml", &text("2025-04-20")).unwrap();
    assert!(a.binds(Party::Ru, t("2025-04-19T19:00:00+03:00")));
    assert!(!a.binds(Party::Ua, t("2025-04-19T19:00:00+03:00")));
    assert!(a.binds(Party::Ua, t("2025-04-20T12:00:00+03:00")));
    assert!(!a.binds(Party::Ua, t("2025-04-21T12:00:00+03:00")));
}

#[test]
fn golden_errors_for_bad_input() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 10);
    for path in names {
        check_bad(&path);
    }
}

fn check_bad(path: &Path) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let text = std::fs::read_to_string(path).unwrap();
    let errors = match parse_agreement(&name, &text) {
        Ok(_) => panic!("{name}: accepted"),
        Err(e) => e,
    };
    let got: String = errors.iter().map(|e| format!("{e}\n")).collect();
    for e in &errors {
        assert_eq!(e.file, name);
        assert!(!e.field.is_empty());
    }
    let expected_path = path.with_extension("expected");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, &got).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path)
        .unwrap_or_else(|_| panic!("{}: no golden file", expected_path.display()));
    assert_eq!(got, expected, "{name}");
}

#[test]
fn duplicate_ids_are_reported_and_the_first_file_kept() {
    let a = std::fs::read_to_string(examples_dir().join("easter_truce_2025.toml")).unwrap();
    let (set, errors) = AgreementSet::parse_files([("a.toml", a.as_str()), ("b.toml", a.as_str())]);
    assert_eq!(set.len(), 1);
    assert_eq!(set.iter().next().unwrap().file, "a.toml");
    assert_eq!(
        errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
        ["b.toml:1:1: id: duplicate agreement id \"easter_truce_2025\" (also in a.toml)"]
    );
}

mod robustness {
    //! The fuzz target's invariants, on mutations of a shipped file (runs in `cargo test`).
    use proptest::prelude::*;
    use truce_agreements::parse_agreement;

    const BASE: &str = include_str!("../../../examples/agreements/energy_moratorium_2025.toml");

    fn check(text: &str) {
        match parse_agreement("m.toml", text) {
            Err(errors) => {
                let lines = text.matches('\n').count() + 1;
                assert!(!errors.is_empty());
                for e in errors {
                    assert!(e.line >= 1 && e.line <= lines, "{e}");
                    assert!(!e.field.is_empty(), "{e}");
                    assert!(e.to_string().starts_with("m.toml:"), "{e}");
                }
            }
            Ok(a) => {
                for p in &a.positions {
                    assert!(a.parties.contains(&p.party) || a.mediators.contains(&p.party));
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn dropping_or_duplicating_lines_never_panics(drop in 0usize..120, dup in 0usize..120) {
            let lines: Vec<&str> = BASE.lines().collect();
            let mut v: Vec<&str> = Vec::new();
            for (k, l) in lines.iter().enumerate() {
                if k == drop % lines.len() { continue; }
                v.push(l);
                if k == dup % lines.len() { v.push(l); }
            }
            check(&v.join("\n"));
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
            check(&s);
        }

        #[test]
        fn cut_files_never_panic(cut in 0usize..4000) {
            let mut end = cut.min(BASE.len());
            while !BASE.is_char_boundary(end) { end -= 1; }
            check(&BASE[..end]);
        }
    }
}
