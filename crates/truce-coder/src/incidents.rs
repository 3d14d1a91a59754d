//! Incidents: physical attacks with a place or a date, who did them and who says so.

use std::collections::BTreeSet;
use std::ops::Range;

use truce_lexicon::{ActorKind, Cue, Entry, Hit, Lexicon};
use truce_model::{
    Casualties, DatePrecision, Evidence, GeoPrecision, Incident, Party, Reporter, Side, Target,
    Weapon,
};

use crate::casualties::{self, Kind};
use crate::dates::DateRef;
use crate::doc::{Doc, PlaceHit, Sent, actor_kind};
use crate::words::List;

/// Prepositions that put a place name where something happened.
fn locative(w: &str) -> bool {
    matches!(
        w,
        "in" | "on"
            | "at"
            | "near"
            | "into"
            | "over"
            | "outside"
            | "of"
            | "around"
            | "across"
            | "hit"
            | "struck"
            | "attacked"
            | "shelled"
            | "targeted"
            | "pounded"
            | "bombed"
            | "у"
            | "в"
            | "на"
            | "по"
            | "під"
            | "под"
    )
}

/// An incident as found in one clause, before merging.
#[derive(Debug, Clone)]
struct Found {
    inc: Incident,
    /// Dated by a reporting window ("in the past 24 hours"): kept even without a day.
    window: bool,
    /// A count of weapons ("120 drones") makes a placeless clause a nationwide tally.
    tally: bool,
    /// The date is only the publication day assumed for an undated report: the mention may
    /// join a dated incident at the same place.
    soft: bool,
    /// The attack is said of a settlement itself ("shelled the village of Antonivka"): with
    /// no other target named, its homes and people were hit (civilian).
    town: bool,
}

/// What the previous sentences of the paragraph established.
#[derive(Default, Clone)]
struct Context {
    paragraph: usize,
    date: Option<DateRef>,
    weapons: Vec<Weapon>,
    reporters: Vec<Reporter>,
}

/// What the document established so far (across paragraphs).
#[derive(Default, Clone)]
struct DocContext {
    /// The day a short dated heading names ("Posts of 10 April", "Sunday 25 May - all times
    /// Kyiv"): "this afternoon" and "overnight" under it are that day's, not publication's.
    heading_day: Option<chrono::NaiveDate>,
    /// The latest day any sentence named.
    date: Option<DateRef>,
    /// The latest settlement any sentence named ("the city" refers back to it).
    settlement: Option<PlaceHit>,
    /// A place standing alone on a line ("#Kharkiv"), heading what follows.
    header: Option<PlaceHit>,
    /// A reporting window was named and no day since ("Over the past day, ...").
    window: bool,
    /// The incident the latest clause produced, for follow-up sentences ("Two people were
    /// injured."), and the sentence it came from.
    last: Option<(usize, usize)>,
}

/// Who speaks in a document when a sentence names no source: the actor heading it (a
/// governor's post, a ministry's bulletin), else nobody (journalists' own reporting). The flag
/// says that an organisation of no side heads it (a monitoring mission, a UN agency, an NGO, a
/// company's notice): it asserts what it relays, so every incident is its report.
fn voice(doc: &Doc, lex: &Lexicon, first_place_side: Side) -> Option<(Reporter, bool)> {
    for s in doc.sents.iter().take(2) {
        // A heading line, or an actor leading the first sentence ("Operational HQ: ...").
        let colon = (s.words.start..(s.words.start + 8).min(s.words.end))
            .find(|&i| doc.gap(i).starts_with(':'));
        // A heading: short, or without a full stop.
        let span = doc.span(s.words.clone());
        let tail = doc.text.get(span.end..).unwrap_or("").chars().next();
        let heading = s.words.len() <= 14
            || s.words.len() <= 24 && !matches!(tail, Some('.' | '!' | '?' | '"' | '”'));
        let limit = if heading {
            s.words.end
        } else if let Some(c) = colon {
            c + 1
        } else {
            continue;
        };
        for h in s.hits.iter().filter(|h| h.end <= limit) {
            if let Some((party, kind)) = actor_kind(lex, h)
                && matches!(kind, ActorKind::Person | ActorKind::Institution)
            {
                let relays = party == Party::Other && kind == ActorKind::Institution;
                return Some((reporter_of(party, kind), relays));
            }
            if h.entry == Entry::Cue(Cue::Official) {
                match first_place_side {
                    Side::Ua => return Some((Reporter::Ua, false)),
                    Side::Ru => return Some((Reporter::Ru, false)),
                    Side::Unknown => {}
                }
            }
        }
    }
    // The side's own vocabulary: Russian bulletins say "the Kiev regime", Ukrainian ones
    // "the enemy" and "the occupiers".
    // One pass over the words: a Russian word decides at once, a Ukrainian one at the end.
    let mut ua = false;
    for s in &doc.sents {
        for i in s.words.clone() {
            if doc.is(i, List::RuVoice) {
                return Some((Reporter::Ru, false));
            }
            ua |= doc.is(i, List::UaVoice);
        }
    }
    ua.then_some((Reporter::Ua, false))
}

/// Words that refer back to the settlement named before ("the city", "the regional centre").
fn refers_back(doc: &Doc, clause: &Range<usize>) -> bool {
    clause.clone().any(|i| {
        doc.word(i) == "the"
            && matches!(
                doc.word(i + 1),
                "city" | "town" | "village" | "capital" | "settlement" | "city's"
            )
            || doc.word(i) == "regional" && doc.word(i + 1) == "centre"
    })
}

/// Time-of-day words that put an undated report on its publication day.
fn same_day_words(doc: &Doc, r: &Range<usize>) -> bool {
    r.clone().any(|i| {
        let (w, n) = (doc.word(i), doc.word(i + 1));
        (w == "the" || w == "early")
            && matches!(n, "morning" | "afternoon" | "evening" | "hours")
            && matches!(
                doc.word(i.saturating_sub(1)),
                "in" | "during" | "the" | "this"
            )
            || matches!(
                w,
                "вранці" | "утром" | "вдень" | "днем" | "увечері" | "вечером"
            )
    })
}

fn side_of(p: Party) -> Side {
    match p {
        Party::Ru => Side::Ru,
        Party::Ua => Side::Ua,
        _ => Side::Unknown,
    }
}

fn reporter_of(p: Party, kind: ActorKind) -> Reporter {
    if kind == ActorKind::Media {
        return Reporter::Media;
    }
    match p {
        Party::Ru => Reporter::Ru,
        Party::Ua => Reporter::Ua,
        _ => Reporter::Other,
    }
}

fn opposite(s: Side) -> Side {
    match s {
        Side::Ru => Side::Ua,
        Side::Ua => Side::Ru,
        Side::Unknown => Side::Unknown,
    }
}

fn country_side(country: Option<&str>) -> Side {
    match country {
        Some("UA") => Side::Ua,
        Some("RU") => Side::Ru,
        _ => Side::Unknown,
    }
}

fn in_range(h: &Hit, r: &Range<usize>) -> bool {
    h.start >= r.start && h.end <= r.end
}

/// "May" the month ("on 2 May, a drone hit ..."), not the modal: capitalised mid-sentence or
/// next to a day number.
fn month_may(doc: &Doc, i: usize) -> bool {
    doc.word(i) == "may"
        && (doc.orig(i) == "May"
            || i > 0 && doc.word(i - 1).starts_with(|c: char| c.is_ascii_digit())
            || doc.word(i + 1).starts_with(|c: char| c.is_ascii_digit()))
}

/// Hedge or prevention words shortly before word `at` ("would stop attacks", "no strikes"), in
/// the same stretch of words: "In violation of the moratorium, drones struck ..." is a strike.
fn blocked(doc: &Doc, hits: &[Hit], clause: &Range<usize>, at: usize) -> bool {
    let near = at.saturating_sub(4).max(clause.start);
    let from = (near..at)
        .rev()
        .find(|&i| doc.gap_has(i, ','))
        .map_or(near, |i| i + 1);
    hits.iter().any(|h| {
        h.start >= from
            && h.start < at
            && (h.entry == Entry::Cue(Cue::Prevent)
                || h.entry == Entry::Cue(Cue::Hedge) && !month_may(doc, h.start))
    }) || (from..at).any(|i| matches!(doc.word(i), "not" | "never" | "n't" | "didn't" | "wasn't"))
        // "strikes must stop", "attacks to end"
        || (at + 1..(at + 4).min(clause.end)).any(|i| {
            matches!(doc.word(i), "stop" | "end" | "halt" | "cease" | "stopped" | "halted" | "ceased" | "ended")
        })
}

/// The party that carried out the attack per the clause's own words.
fn perpetrator(doc: &Doc, lex: &Lexicon, hits: &[Hit], clause: &Range<usize>) -> Option<Side> {
    let anchors: Vec<usize> = hits
        .iter()
        .filter(|h| {
            in_range(h, clause) && matches!(h.entry, Entry::Weapon(_) | Entry::Cue(Cue::Attack))
        })
        .map(|h| h.start)
        .collect();
    let accusing = |r: &Hit| {
        matches!(
            r.entry,
            Entry::Act(truce_model::Act::Accuse | truce_model::Act::Deny)
        )
    };
    for h in hits.iter().filter(|h| in_range(h, clause)) {
        let Some((party, kind)) = actor_kind(lex, h) else {
            continue;
        };
        if !matches!(party, Party::Ru | Party::Ua)
            || matches!(kind, ActorKind::Institution | ActorKind::Media)
        {
            continue;
        }
        // "Ukraine accused Russia of hitting ...": the accused did it.
        if hits
            .iter()
            .any(|r| accusing(r) && r.end <= h.start && h.start <= r.end + 1)
        {
            return Some(side_of(party));
        }
        // "Oleh Syniehubov: overnight a drone ...": a label names who speaks.
        if doc.gap(h.end - 1).starts_with(':') {
            continue;
        }
        // "fire attributed to the Russian armed forces", "a strike blamed on Ukraine".
        let lead = (h.start.saturating_sub(3).max(clause.start)..h.start).any(|i| {
            matches!(
                (doc.word(i), doc.word(i + 1)),
                ("attributed", "to") | ("blamed", "on")
            )
        });
        if lead {
            return Some(side_of(party));
        }
        let next_report = hits.iter().any(|r| {
            (r.entry == Entry::Cue(Cue::Report) || accusing(r))
                && r.start >= h.end
                && r.start <= h.end + 2
        });
        if next_report {
            continue;
        }
        // "Russia's Saratov region": a possessive before a place name.
        if h.possessive
            && doc
                .orig(h.end)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        {
            continue;
        }
        // "In Kyiv, drone debris hit ...": a capital named as a place, not as an actor.
        if kind == ActorKind::State
            && h.start > clause.start
            && matches!(
                doc.word(h.start - 1),
                "in" | "near" | "over" | "at" | "outside"
            )
        {
            continue;
        }
        // "struck a deployment point of the Armed Forces of Ukraine": the object, not the attacker.
        if h.start > clause.start
            && matches!(doc.word(h.start - 1), "of" | "against" | "on")
            && anchors.iter().any(|&a| a < h.start)
        {
            continue;
        }
        let before_by = h.start > clause.start && matches!(doc.word(h.start - 1), "by" | "from");
        let modifier = kind == ActorKind::Demonym || h.possessive;
        let near_after = |k: usize| anchors.iter().any(|&a| a >= h.end && a <= h.end + k);
        if modifier {
            if near_after(2) || before_by && near_after(4) {
                return Some(side_of(party));
            }
            // "by Russian forces"
            if before_by {
                return Some(side_of(party));
            }
            continue;
        }
        if before_by && anchors.iter().any(|&a| a < h.start) {
            return Some(side_of(party));
        }
        if near_after(4) {
            return Some(side_of(party));
        }
    }
    None
}

/// Whether the clause calls the attacker "the enemy" (said by the other side).
fn says_enemy(doc: &Doc, clause: &Range<usize>) -> bool {
    clause.clone().any(|i| {
        matches!(
            doc.word(i),
            "enemy" | "ворог" | "противник" | "противника" | "ворога"
        )
    })
}

/// Who asserts what the sentence says: the parties of the speakers of its report verbs.
fn reporters(doc: &Doc, lex: &Lexicon, s: &Sent, place_side: Side) -> Vec<Reporter> {
    let mut out = Vec::new();
    for r in s.hits.iter().filter(|h| {
        h.entry == Entry::Cue(Cue::Report)
            || matches!(h.entry, Entry::Act(truce_model::Act::Accuse))
    }) {
        let mut best: Option<(usize, Reporter)> = None;
        // "Moscow accused Kyiv of ...": the accuser stands before the act, the accused after;
        // "X told Reuters": the speaker before, the addressee after.
        let verb = doc.word(r.start);
        let before_only = r.entry != Entry::Cue(Cue::Report)
            || matches!(verb, "told" | "tells" | "telling" | "informed");
        // "TASS reported, citing the governor": the one cited stands after.
        let after_only = matches!(verb, "citing" | "cited" | "quoting" | "quoted");
        for h in &s.hits {
            let dist = if h.end <= r.start && !after_only {
                r.start - h.end
            } else if h.start >= r.end && !before_only {
                h.start - r.end
            } else {
                continue;
            };
            if dist > 5 {
                continue;
            }
            let rep = if let Some((party, kind)) = actor_kind(lex, h) {
                if kind == ActorKind::Demonym && !h.possessive {
                    // "Russian officials said" is an institution; a bare adjective qualifies
                    // the next word: look for an official word after it.
                    let official = s.hits.iter().any(|o| {
                        o.entry == Entry::Cue(Cue::Official)
                            && o.start >= h.end
                            && o.start <= h.end + 2
                    });
                    if !official {
                        continue;
                    }
                }
                reporter_of(party, kind)
            } else if h.entry == Entry::Cue(Cue::Official) {
                // "the Russian-installed mayor", "occupation authorities": officials the other
                // side put in place speak for that side.
                let installed = (h.start.saturating_sub(3)..h.start).any(|i| {
                    let w = doc.word(i);
                    matches!(
                        w,
                        "russian-installed"
                            | "moscow-installed"
                            | "kremlin-installed"
                            | "russian-appointed"
                            | "moscow-appointed"
                            | "pro-russian"
                            | "occupation"
                    ) || (matches!(w, "installed" | "appointed")
                        && i > 0
                        && matches!(doc.word(i - 1), "russian" | "moscow" | "kremlin" | "-"))
                });
                if installed {
                    Reporter::Ru
                } else {
                    match place_side {
                        Side::Ua => Reporter::Ua,
                        Side::Ru => Reporter::Ru,
                        Side::Unknown => continue,
                    }
                }
            } else {
                continue;
            };
            if best.is_none_or(|(d, _)| dist < d) {
                best = Some((dist, rep));
            }
        }
        // "according to the plant's owner", "the operator said": a company speaks for itself.
        let owner = (r.end..(r.end + 4).min(s.words.end))
            .chain(r.start.saturating_sub(3).max(s.words.start)..r.start)
            .filter(|&i| {
                matches!(
                    doc.word(i),
                    "owner"
                        | "owners"
                        | "operator"
                        | "company"
                        | "utility"
                        | "companies"
                        | "supplier"
                        | "provider"
                        | "distributor"
                        | "firm"
                )
            })
            .map(|i| i.abs_diff(r.start).min(i.abs_diff(r.end)))
            .min();
        if let Some(d) = owner
            && best.is_none_or(|(b, _)| d < b)
        {
            best = Some((d, Reporter::Other));
        }
        if let Some((_, rep)) = best
            && !out.contains(&rep)
        {
            out.push(rep);
        }
    }
    out
}

/// A weapon named as what a target holds or makes ("a depot that stored cruise missiles", "a
/// plant producing drones"), not what struck it.
fn cargo(doc: &Doc, h: &Hit) -> bool {
    (h.start.saturating_sub(3)..h.start).any(|i| {
        matches!(
            doc.word(i),
            "stored"
                | "stores"
                | "storing"
                | "storage"
                | "produced"
                | "produces"
                | "producing"
                | "production"
                | "manufactured"
                | "manufactures"
                | "manufacturing"
                | "assembled"
                | "assembling"
                | "assembles"
                | "repaired"
                | "repairing"
                | "makes"
                | "making"
        )
    })
}

fn weapons_in(doc: &Doc, hits: &[Hit], r: &Range<usize>) -> Vec<Weapon> {
    let mut set = BTreeSet::new();
    for h in hits.iter().filter(|h| in_range(h, r)) {
        if let Entry::Weapon(w) = h.entry {
            if cargo(doc, h) {
                continue;
            }
            set.insert(w);
        }
    }
    let mut v: Vec<Weapon> = set.into_iter().collect();
    refine_weapons(&mut v);
    v
}

fn refine_weapons(v: &mut Vec<Weapon>) {
    // "shelled with multiple rocket launchers": the launcher names the weapon.
    if v.contains(&Weapon::Rocket) && v.contains(&Weapon::Artillery) {
        v.retain(|w| *w != Weapon::Artillery);
    }
    if v.contains(&Weapon::Missile)
        && (v.contains(&Weapon::BallisticMissile) || v.contains(&Weapon::CruiseMissile))
    {
        v.retain(|w| *w != Weapon::Missile);
    }
    // Two mentions without a weapon stay one unknown weapon, not none.
    v.sort();
    v.dedup();
    if v.len() > 1 {
        v.retain(|w| *w != Weapon::Unknown);
    }
}

/// Words for who runs a facility: "the plant's owner", "the station's operator" name a source,
/// not what was hit.
fn runs_it(w: &str) -> bool {
    matches!(
        w,
        "owner"
            | "owners"
            | "operator"
            | "operators"
            | "press"
            | "management"
            | "director"
            | "staff"
            | "spokesperson"
            | "spokesman"
            | "spokeswoman"
            | "administration"
            | "website"
            | "statement"
    )
}

fn targets_in(doc: &Doc, lex: &Lexicon, hits: &[Hit], r: &Range<usize>) -> Vec<Target> {
    let mut set = BTreeSet::new();
    for h in hits.iter().filter(|h| in_range(h, r)) {
        if let Entry::Target(t) = h.entry {
            if h.possessive && runs_it(doc.word(h.end)) {
                continue;
            }
            // "air defence systems on duty intercepted ...": what shoots down, not what was hit.
            if hits.iter().any(|o| {
                o.entry == Entry::Cue(Cue::Intercept) && o.start >= h.end && o.start <= h.end + 3
            }) {
                continue;
            }
            // "the nuclear power plant", "the plant" beside an energy word: the energy site.
            if t == Target::Industrial
                && matches!(
                    doc.word(h.start),
                    "plant" | "plants" | "facility" | "facilities"
                )
                && hits
                    .iter()
                    .any(|o| in_range(o, r) && o.entry == Entry::Target(Target::Energy))
            {
                continue;
            }
            // Skip words that are part of an actor's or an official's name ("Russian military",
            // "military administration").
            let covered = hits.iter().any(|o| {
                (actor_kind(lex, o).is_some() || o.entry == Entry::Cue(Cue::Official))
                    && o.start <= h.start
                    && h.end <= o.end
            });
            if !covered {
                set.insert(t);
            }
        }
    }
    set.into_iter().collect()
}

fn date_of(d: Option<DateRef>, voiced: bool) -> (Option<chrono::NaiveDate>, DatePrecision) {
    match d {
        Some(DateRef::Day(d)) => (Some(d), DatePrecision::Day),
        Some(DateRef::LastNight(p)) if voiced => (Some(p), DatePrecision::Day),
        Some(DateRef::LastNight(p)) => (p.pred_opt(), DatePrecision::Day),
        Some(DateRef::Month(d)) => (Some(d), DatePrecision::Month),
        _ => (None, DatePrecision::Unknown),
    }
}

/// The range's first date, skipping dates of a saying ("On Friday, officials said ...") when
/// the range has another.
fn first_date(doc: &Doc, s: &Sent, r: &Range<usize>) -> Option<DateRef> {
    let mut dates = s.dates.iter().filter(|(i, _)| r.contains(i));
    let first = dates.clone().next().map(|(_, d)| *d);
    dates
        .find(|(i, _)| !crate::dates::dates_a_saying(|k| doc.word(k), *i, r.start))
        .map(|(_, d)| *d)
        .or(first)
}

/// Places where the clause puts the attack.
fn clause_places(doc: &Doc, lex: &Lexicon, s: &Sent, clause: &Range<usize>) -> Vec<PlaceHit> {
    let mut out: Vec<PlaceHit> = Vec::new();
    for p in s.places.iter().filter(|p| clause.contains(&p.start)) {
        let prev = if p.start > 0 {
            doc.word(p.start - 1)
        } else {
            ""
        };
        let next = doc.word(p.end);
        if prev == "from" || prev == "to" && doc.word(p.start.saturating_sub(2)) == "way" {
            continue;
        }
        // Officials' titles ("the Kharkiv regional governor") and datelines ("KYIV, April 4").
        if matches!(
            next,
            "regional" | "governor" | "mayor" | "oblast's" | "region's"
        ) {
            continue;
        }
        if p.start == s.words.start
            && doc.orig(p.start).chars().all(|c| !c.is_lowercase())
            && doc.orig(p.start).chars().count() > 2
            && doc.gap(p.end.saturating_sub(1)).starts_with(',')
        {
            continue;
        }
        // A person's name: "Artem Kobzar" (a capitalised word after a place name that is not
        // a title or a generic word).
        if let Some(next_orig) = doc.toks.get(p.end).map(|_| doc.orig(p.end))
            && p.end < s.words.end
            && next_orig.chars().next().is_some_and(char::is_uppercase)
            && doc.gap(p.end - 1) == " "
            && !matches!(
                next,
                "oblast"
                    | "region"
                    | "mayor"
                    | "governor"
                    | "city"
                    | "district"
                    | "krai"
                    | "republic"
                    | "thermal"
                    | "refinery"
                    | "nuclear"
                    | "power"
                    | "airport"
                    | "port"
                    | "railway"
            )
        {
            continue;
        }
        // A person's name ("Vladimir Putin") is no place.
        let in_person = s.hits.iter().any(|h| {
            actor_kind(lex, h)
                .is_some_and(|(_, k)| matches!(k, ActorKind::Person | ActorKind::Media))
                && h.start <= p.start
                && p.start < h.end
        });
        if in_person {
            continue;
        }
        // A district names where a settlement lies, not the settlement ("Obukhiv district" is
        // in Kyiv Oblast); a city's own districts ("Kyivskyi and Saltivskyi districts") say
        // nothing more than the city.
        if next == "and"
            && (matches!(doc.word(p.end + 2), "regions" | "oblasts")
                || matches!(doc.word(p.end + 3), "regions" | "oblasts"))
        {
            out.push(PlaceHit {
                place: None,
                precision: GeoPrecision::Admin1,
                ..p.clone()
            });
            continue;
        }
        if matches!(
            next,
            "agreements" | "agreement" | "accords" | "format" | "talks" | "process" | "memorandum"
        ) {
            continue;
        }
        let district = matches!(next, "district" | "districts" | "raion" | "municipality")
            || matches!(doc.word(p.end.saturating_sub(1)), "district" | "raion")
            || next == "and" && matches!(doc.word(p.end + 2), "districts" | "district");
        if district {
            let name = doc.word(p.start);
            // A city's district the gazetteer resolved to its city ("Obolonskyi district":
            // Kyiv) is the city.
            let city = p.place.as_deref().and_then(|c| c.split([' ', '-']).next());
            let first = name.split('-').next().unwrap_or("");
            if city.is_some_and(|c| !c.eq_ignore_ascii_case(first)) {
                out.push(p.clone());
                continue;
            }
            if name.ends_with("skyi")
                || name.ends_with("skyy")
                || name.ends_with("sky")
                || name.ends_with("skiy")
            {
                continue;
            }
            out.push(PlaceHit {
                place: None,
                precision: GeoPrecision::Admin1,
                ..p.clone()
            });
            continue;
        }
        // A capital used as an actor ("Kyiv denied", "Moscow says", "the Kiev regime").
        let as_actor = s
            .hits
            .iter()
            .any(|h| actor_kind(lex, h).is_some() && h.start <= p.start && p.start < h.end);
        if as_actor && !locative(prev) {
            continue;
        }
        out.push(p.clone());
    }
    // Prefer settlements; a region only when it is all the clause names. A settlement that
    // only locates another ("the village of Dubovoye outside Belgorod") is dropped.
    if out.iter().any(|p| p.precision == GeoPrecision::Settlement) {
        let mut settlements = out;
        settlements.retain(|p| p.precision == GeoPrecision::Settlement);
        let locator = |p: &PlaceHit| {
            let w1 = doc.word(p.start.saturating_sub(1));
            let w2 = doc.word(p.start.saturating_sub(2));
            matches!(w1, "outside" | "near" | "from")
                || w1 == "of"
                    && matches!(
                        w2,
                        "north"
                            | "south"
                            | "east"
                            | "west"
                            | "northeast"
                            | "northwest"
                            | "north-west"
                            | "north-east"
                            | "south-west"
                            | "south-east"
                            | "southeast"
                            | "southwest"
                            | "outskirts"
                    )
        };
        if settlements.len() > 1 && settlements.iter().any(|p| !locator(p)) {
            settlements.retain(|p| !locator(p));
        }
        return settlements;
    }
    out.retain(|p| p.precision == GeoPrecision::Admin1);
    out.dedup_by(|a, b| a.admin1 == b.admin1);
    out
}

/// Codes the incidents of a document.
pub fn find(doc: &Doc, lex: &Lexicon) -> Vec<Incident> {
    let mut found: Vec<Found> = Vec::new();
    let mut orphans: Vec<Vec<Weapon>> = Vec::new();
    let mut ctx = Context::default();
    let first_side = doc
        .sents
        .iter()
        .flat_map(|s| s.places.iter())
        .map(|p| country_side(p.country.as_deref()))
        .next()
        .unwrap_or(Side::Unknown);
    let (doc_voice, relays) = match voice(doc, lex, first_side) {
        Some((r, relays)) => (Some(r), relays),
        None => (None, false),
    };
    let mut dctx = DocContext::default();
    for (sn, s) in doc.sents.iter().enumerate() {
        if s.paragraph != ctx.paragraph {
            ctx = Context {
                paragraph: s.paragraph,
                ..Context::default()
            };
        }
        // A line that only names a place heads what follows ("1) Kyiv, Thursday."); a
        // capitalised place with a date is a dateline ("MOSCOW, 8 May."), where the text was
        // filed, not where anything happened.
        let dateline = !s.dates.is_empty()
            && s.places.iter().any(|p| {
                let sp = doc.span(p.start..p.end);
                doc.text.get(sp.start..sp.end).is_some_and(|t| {
                    t.chars().filter(|c| c.is_alphabetic()).count() > 1
                        && !t.chars().any(char::is_lowercase)
                })
            });
        if s.words.len() <= 3
            && !dateline
            && let Some(p) = s
                .places
                .iter()
                .find(|p| p.precision == GeoPrecision::Settlement)
        {
            dctx.header = Some(p.clone());
            dctx.settlement = Some(p.clone());
            continue;
        }
        let sent_range = s.words.clone();
        let sent_date = under_heading(doc, s, &sent_range, dctx.heading_day)
            .or_else(|| first_date(doc, s, &sent_range));
        let sent_weapons = weapons_in(doc, &s.hits, &sent_range);
        let has_attack = s
            .hits
            .iter()
            .any(|h| h.entry == Entry::Cue(Cue::Attack) || matches!(h.entry, Entry::Weapon(_)));
        // A heading: short, with one day, no attack, and no full stop.
        if s.words.len() <= 10
            && !has_attack
            && let [(_, DateRef::Day(d))] = s.dates.as_slice()
            && !doc.gap(s.words.end - 1).starts_with(['.', '!', '?'])
            && !s
                .hits
                .iter()
                .any(|h| matches!(h.entry, Entry::Cue(Cue::Kill | Cue::Injure)))
        {
            dctx.heading_day = Some(*d);
        }
        let mut places_owned: Vec<PlaceHit> = Vec::new();
        for clause in &s.clauses {
            places_owned.clear();
            let fired_on = under_fire(doc, clause);
            let intercept = s
                .hits
                .iter()
                .any(|h| in_range(h, clause) && h.entry == Entry::Cue(Cue::Intercept));
            let relevant = s.hits.iter().any(|h| {
                in_range(h, clause)
                    && matches!(h.entry, Entry::Cue(Cue::Attack | Cue::Kill | Cue::Injure))
            }) || {
                let w = doc.words_in(clause.clone());
                (0..w.len()).any(|j| {
                    doc.is(clause.start + j, List::InjuryNoun)
                        && casualties::injury_phrase(w, j).is_some()
                }) || casualties::zero_words(w)
            } || fired_on;
            // An interception over several regions is a tally of the night ("shot down over
            // ten regions"); dropping a munition is an attack.
            let relevant = relevant
                || intercept
                    && (clause
                        .clone()
                        .any(|i| matches!(doc.word(i), "regions" | "oblasts"))
                        || s.places
                            .iter()
                            .filter(|p| clause.contains(&p.start))
                            .count()
                            > 1)
                || s.hits
                    .iter()
                    .any(|h| in_range(h, clause) && matches!(h.entry, Entry::Weapon(_)))
                    && dropped(doc, &s.hits, clause).is_some();
            if !relevant {
                continue;
            }
            let words = doc.words_in(clause.clone());
            let gaps = doc.gaps_in(clause.clone());
            let mut cues: Vec<Option<Kind>> = vec![None; words.len()];
            for h in s.hits.iter().filter(|h| in_range(h, clause)) {
                let k = match h.entry {
                    Entry::Cue(Cue::Kill) => Kind::Killed,
                    Entry::Cue(Cue::Injure) => Kind::Injured,
                    _ => continue,
                };
                for slot in cues
                    .iter_mut()
                    .take(h.end - clause.start)
                    .skip(h.start - clause.start)
                {
                    *slot = Some(k);
                }
            }
            casualties::mark_injury_phrases(words, &mut cues);
            let cas = casualties::find(words, gaps, &cues);
            let has_cas = cas.killed.count.is_some_and(|c| c.n > 0)
                || cas.injured.count.is_some_and(|c| c.n > 0)
                || cas.killed.vague_low.is_some()
                || cas.injured.vague_low.is_some();
            let attack_at: Vec<usize> = s
                .hits
                .iter()
                .filter(|h| in_range(h, clause) && h.entry == Entry::Cue(Cue::Attack))
                .map(|h| h.start)
                .chain(dropped(doc, &s.hits, clause))
                .collect();
            // The clause's number words, read once (word, value).
            let numbers: Vec<(usize, u32)> = clause
                .clone()
                .filter_map(|i| crate::numbers::word_value(doc.word(i)).map(|n| (i, n)))
                .collect();
            // A number (above one) shortly before a weapon ("fired 40 drones").
            let counted = numbers.iter().any(|&(i, n)| {
                n > 1
                    && s.hits.iter().any(|h| {
                        matches!(h.entry, Entry::Weapon(_)) && h.start > i && h.start <= i + 4
                    })
            });
            // Counts of violations or assaults are aggregates ("violated the truce 2,935 times").
            let aggregate = numbers.iter().any(|&(i, _)| {
                matches!(
                    doc.word(i + 1),
                    "times"
                        | "violations"
                        | "assaults"
                        | "engagements"
                        | "clashes"
                        | "attacks"
                        | "combat"
                        | "settlements"
                        | "towns"
                        | "villages"
                        | "localities"
                        | "communities"
                        | "hromadas"
                ) || matches!(doc.word(i + 1), "days" | "nights" | "occasions")
                    && doc.word(i.saturating_sub(1)) == "on"
            });
            let habitual = habitual(doc, clause)
                || background_year(doc, clause)
                || earlier_event(doc, clause)
                    && !matches!(
                        first_date(doc, s, clause),
                        Some(DateRef::Day(_) | DateRef::LastNight(_))
                    )
                || summary(doc, clause)
                || counted_over_days(doc, counted, clause);
            let denial = s
                .hits
                .iter()
                .any(|h| in_range(h, clause) && h.entry == Entry::Act(truce_model::Act::Deny));
            if aggregate || habitual || denial {
                continue;
            }
            // Interceptions: a count over several regions (or the whole country) is one
            // placeless tally; a count over one region is no incident.
            let mut tally_only = false;
            if intercept && counted && !has_cas_words(s, clause) {
                let regions = clause_places(doc, lex, s, clause).len()
                    + clause.clone().filter(|&i| doc.word(i) == "regions").count();
                if regions == 1 && !clause.clone().any(|i| doc.word(i) == "regions") {
                    continue;
                }
                tally_only = true;
            }
            let attacked = attack_at.iter().any(|&a| !blocked(doc, &s.hits, clause, a));
            let live_attack = attacked || tally_only || fired_on;
            let has_zero = cas.killed.count.is_some() || cas.injured.count.is_some();
            let mut places = clause_places(doc, lex, s, clause);
            // A list of places is a tally, not a place ("shot down over Kharkiv, Sumy, Poltava...").
            // "came under fire" says where only when a settlement is named ("Kupiansk came
            // under fire"), not of a district's day ("the district was under fire all day").
            if fired_on
                && !attacked
                && !has_cas
                && !places
                    .iter()
                    .any(|p| p.precision == GeoPrecision::Settlement)
            {
                continue;
            }
            let listed = places.len() >= 3 && places.windows(2).all(|w| w[1].start <= w[0].end + 2);
            if listed || tally_only {
                places.clear();
            }
            // A casualty count over a period without a strike of its own ("Since the start of
            // the year the mission verified 1,021 casualties in the region", "Between 22 and 28
            // March, 41 civilians were hurt"): a tally, not an incident.
            let over_period = period(doc, clause);
            let clause_date = under_heading(doc, s, clause, dctx.heading_day)
                .or_else(|| first_date(doc, s, clause));
            // An attack over a period is one only when the clause gives its day ("On Sunday,
            // the deadliest strike since January hit ..."); "Since March, shelling has killed
            // 57 residents" is a tally. So is a count of the dead of a month ("In April, 57
            // civilians were killed in the region") with no attack of its own.
            let own_day = matches!(clause_date, Some(DateRef::Day(_) | DateRef::LastNight(_)))
                && !clause.clone().any(|i| {
                    day_span(doc, clause, i)
                        || doc.word(i) == "between"
                            && doc.word(i + 1).starts_with(|c: char| c.is_ascii_digit())
                });
            let month_only = matches!(clause_date.or(sent_date), Some(DateRef::Month(_)));
            if over_period && !(live_attack && own_day) || !live_attack && month_only && has_cas {
                continue;
            }
            // A follow-up sentence: no place and no day of its own, after an incident.
            if places.is_empty()
                && (sent_date.is_none() || clause_date.is_none())
                && !refers_back(doc, clause)
                && let Some((k, from)) = dctx.last
                // A dated sentence's undated clause follows up only its own sentence's strike
                // ("Drones hit Odesa on Monday; two people were injured").
                && (sent_date.is_none() || from == sn)
                && let Some(f) = found.get_mut(k)
                // A sentence about another region ("In the Bryansk region, ... no one was
                // hurt") follows up nothing of the incident before it.
                && !s
                    .places
                    .iter()
                    .any(|p| p.admin1.is_some() && p.admin1 != f.inc.admin1)
            {
                let next_sentence = sn == from + 1 || sn == from;
                // An update of the toll reaches further back through a thread of posts
                // ("The death toll rose to three", "two more bodies were recovered").
                let update = clause.clone().any(|i| {
                    matches!(
                        doc.word(i),
                        "toll" | "risen" | "rose" | "rises" | "climbed" | "increased" | "more"
                    )
                });
                let reach = if update { 8 } else { 3 };
                if over_period {
                    continue;
                }
                // A count for the whole region or country ("the strikes on the oblast killed
                // 17", "across Ukraine") is no count of a strike on one settlement.
                let wider = has_cas
                    && f.inc.place.is_some()
                    && clause.clone().any(|i| {
                        matches!(
                            doc.word(i),
                            "region" | "oblast" | "krai" | "country" | "nationwide" | "across"
                        )
                    });
                if (has_cas || has_zero) && sn <= from + reach && !wider {
                    // "Another person died in hospital", "a second victim died": one more on
                    // top of the figure so far.
                    let more = !update
                        && clause
                            .clone()
                            .any(|i| matches!(doc.word(i), "another" | "second" | "third"));
                    if more
                        && let (Some(old), Some(new)) = (f.inc.killed.count, cas.killed.count)
                        && new.n > 0
                    {
                        f.inc.killed.count = Some(truce_model::Count {
                            n: old.n + new.n,
                            q: old.q,
                        });
                    } else if cas.killed.count.is_some() {
                        // A later figure in the same thread is the current one ("has risen to
                        // 5").
                        merge_casualties(&mut f.inc.killed, cas.killed);
                    }
                    if cas.injured.count.is_some() {
                        merge_casualties(&mut f.inc.injured, cas.injured);
                    }
                    dctx.last = Some((k, sn));
                }
                if next_sentence && (live_attack || has_cas || has_zero) {
                    // "... five houses and a gas pipeline were damaged": the damage the attack
                    // did, listed in the next sentence (what stands before the verb).
                    let damaged = clause
                        .clone()
                        .find(|&i| matches!(doc.word(i), "damaged" | "destroyed"))
                        .filter(|_| weapons_in(doc, &s.hits, clause).is_empty());
                    let damage_list = damaged.is_some();
                    // What stands before the verb, else what the clause names ("two bombers
                    // were damaged at the airfield").
                    let t = match damaged {
                        Some(d) => Some(targets_in(doc, lex, &s.hits, &(clause.start..d)))
                            .filter(|t| !t.is_empty())
                            .unwrap_or_else(|| targets_in(doc, lex, &s.hits, clause)),
                        None => targets_in(doc, lex, &s.hits, clause),
                    };
                    if !t.is_empty()
                        && (damage_list || f.inc.targets.iter().all(|x| *x == Target::Unknown))
                    {
                        f.inc.targets.extend(t);
                        f.inc.targets.sort();
                        f.inc.targets.dedup();
                        f.inc.targets.retain(|x| *x != Target::Unknown);
                    }
                    // "No casualties, the governor said.": the follow-up names the source.
                    if f.inc.reported_by == Reporter::Media
                        && let Some(r) = reporters(doc, lex, s, Side::Unknown)
                            .into_iter()
                            .next()
                            .or_else(|| {
                                let side = country_side(f.inc.country.as_deref());
                                reporters(doc, lex, s, side).into_iter().next()
                            })
                    {
                        f.inc.reported_by = r;
                    }
                    let w = weapons_in(doc, &s.hits, clause);
                    if !w.is_empty() && f.inc.weapons.iter().all(|x| *x == Weapon::Unknown) {
                        f.inc.weapons.extend(w);
                        refine_weapons(&mut f.inc.weapons);
                    }
                    dctx.last = Some((k, sn));
                }
                if has_cas || has_zero || next_sentence && live_attack {
                    continue;
                }
            }
            if !(live_attack || has_cas) {
                continue;
            }
            if places.is_empty() && live_attack {
                if refers_back(doc, clause)
                    && let Some(p) = dctx.settlement.clone().or_else(|| dctx.header.clone())
                {
                    places_owned = vec![p];
                } else if let Some(p) = dctx.header.clone() {
                    places_owned = vec![p];
                }
            }
            let places: Vec<PlaceHit> = if places.is_empty() {
                places_owned.clone()
            } else {
                places
            };
            // "The death toll from Monday's strike on Dnipro rose to 17 on Wednesday": an
            // update of the strike already coded there, not a strike on the update's day.
            if has_cas
                && toll_update(doc, &s.hits, clause)
                && let Some(k) = found.iter().rposition(|f| {
                    places.iter().any(|p| {
                        p.place.is_some() && p.place == f.inc.place && p.admin1 == f.inc.admin1
                    })
                })
                && let Some(f) = found.get_mut(k)
            {
                merge_casualties(&mut f.inc.killed, cas.killed);
                merge_casualties(&mut f.inc.injured, cas.injured);
                dctx.last = Some((k, sn));
                continue;
            }
            // An update with no strike coded before: the strike's day is the earliest day it
            // names ("the toll from Wednesday's strike rose to 26 on Friday").
            let clause_date = if has_cas && toll_update(doc, &s.hits, clause) {
                s.dates
                    .iter()
                    .filter(|(i, _)| clause.contains(i))
                    .filter_map(|(_, d)| match d {
                        DateRef::Day(x) => Some(*x),
                        _ => None,
                    })
                    .min()
                    .map(DateRef::Day)
                    .or(clause_date)
            } else {
                clause_date
            };
            let window = matches!(clause_date.or(sent_date), Some(DateRef::Window));
            let date_ref = if window {
                None
            } else {
                // A placeless tally of interceptions takes the paragraph's day ("Overnight,
                // Ukraine launched ... 337 drones were shot down over ten regions").
                clause_date.or(sent_date).or(if places.is_empty() {
                    ctx.date.filter(|_| tally_only)
                } else {
                    ctx.date
                        .or(if dctx.window { None } else { dctx.date })
                        .or_else(|| {
                            ((same_day_words(doc, clause) || doc_voice.is_some()) && !dctx.window)
                                .then_some(doc.published.map(DateRef::Day))
                                .flatten()
                        })
                })
            };
            let soft = clause_date.is_none() && sent_date.is_none() && ctx.date.is_none();
            let (date, precision) = date_of(date_ref, doc_voice.is_some());
            let mut weapons = weapons_in(doc, &s.hits, clause);
            if weapons.is_empty() {
                weapons = sent_weapons.clone();
            }
            if weapons.is_empty() {
                weapons = ctx.weapons.clone();
            }
            let tally = counted;
            if places.is_empty() && date.is_none() {
                if !weapons.is_empty() {
                    orphans.push(weapons.clone());
                }
                continue;
            }
            if weapons.is_empty() {
                weapons.push(Weapon::Unknown);
            }
            let mut targets = targets_in(doc, lex, &s.hits, clause);
            if targets.is_empty() {
                targets = targets_in(doc, lex, &s.hits, &sent_range);
            }
            if targets.is_empty() && has_cas {
                targets.push(Target::Civilian);
            }
            if targets.is_empty() {
                targets.push(Target::Unknown);
            }
            let place_side = places
                .first()
                .map(|p| country_side(p.country.as_deref()))
                .unwrap_or(Side::Unknown);
            let pick = |reps: &[Reporter]| -> Option<Reporter> {
                let victim = match place_side {
                    Side::Ua => Some(Reporter::Ua),
                    Side::Ru => Some(Reporter::Ru),
                    Side::Unknown => None,
                };
                if let Some(v) = victim
                    && reps.contains(&v)
                {
                    return Some(v);
                }
                // "RIA Novosti reported, citing the defence ministry": the one cited asserts it.
                reps.iter()
                    .find(|r| **r != Reporter::Media)
                    .or(reps.first())
                    .copied()
            };
            // Attribution: the clause's own ("Russia claimed ... in Tuapse"), then other clauses
            // of the sentence that report nothing themselves (", the governor said"), then the
            // paragraph's ("Both sides reported attacks overnight.").
            let reporting: Vec<Hit> = s
                .hits
                .iter()
                .filter(|h| {
                    !in_range(h, clause)
                        && s.clauses.iter().any(|c| {
                            in_range(h, c)
                                && !s.hits.iter().any(|a| {
                                    in_range(a, c)
                                        && matches!(
                                            a.entry,
                                            Entry::Cue(Cue::Attack | Cue::Kill | Cue::Injure)
                                                | Entry::Weapon(_)
                                        )
                                })
                        })
                })
                .copied()
                .collect();
            let sub = |hits: Vec<Hit>| Sent {
                words: clause.clone(),
                paragraph: s.paragraph,
                clauses: vec![],
                hits,
                dates: vec![],
                places: vec![],
            };
            let mut own: Vec<Hit> = s
                .hits
                .iter()
                .filter(|h| in_range(h, clause))
                .copied()
                .collect();
            let clause_reps = reporters(doc, lex, &sub(own.clone()), place_side);
            own.extend(reporting);
            let sent_reps = reporters(doc, lex, &sub(own), place_side);
            let reported_by = pick(&clause_reps)
                .or_else(|| pick(&sent_reps))
                .or_else(|| pick(&ctx.reporters))
                .or(doc_voice)
                .unwrap_or(Reporter::Media);
            // A bulletin of no side relays a side's report as that side's only when it relays
            // the side's blame ("according to the defence ministry, which blamed Ukraine").
            let reported_by = if relays && !relays_blame(doc, sn) {
                Reporter::Other
            } else {
                reported_by
            };
            let mut perp = perpetrator(doc, lex, &s.hits, clause).unwrap_or(Side::Unknown);
            if perp == Side::Unknown
                && clause.clone().any(|i| {
                    matches!(doc.word(i), "its" | "our" | "their")
                        && s.hits.iter().any(|h| {
                            matches!(h.entry, Entry::Weapon(_)) && h.start > i && h.start <= i + 2
                        })
                })
            {
                perp = match reported_by {
                    Reporter::Ua => Side::Ua,
                    Reporter::Ru => Side::Ru,
                    _ => Side::Unknown,
                };
            }
            if perp == Side::Unknown && says_enemy(doc, clause) {
                perp = match reported_by {
                    Reporter::Ua => Side::Ru,
                    Reporter::Ru => Side::Ua,
                    _ => Side::Unknown,
                };
            }
            // Ukraine's own services telling of a strike inside Russia ("SBU drones hit the
            // refinery in Ryazan, the SBU said") tell of their own operation.
            if perp == Side::Unknown
                && reported_by == Reporter::Ua
                && places.first().and_then(|p| p.country.as_deref()) == Some("RU")
            {
                perp = Side::Ua;
            }
            if perp == Side::Unknown && reported_by != Reporter::Other {
                perp = match reported_by {
                    Reporter::Ua => Side::Ru,
                    Reporter::Ru => Side::Ua,
                    _ => opposite(place_side),
                };
            }
            // One settlement named twice ("Gorlovka (Горловка)", two districts of one city)
            // is one place: its casualties stay with it.
            let mut names: Vec<(Option<&str>, Option<&str>)> = places
                .iter()
                .map(|p| (p.place.as_deref(), p.admin1.as_deref()))
                .collect();
            names.sort();
            names.dedup();
            let one_place = names.len() <= 1;
            let (killed, injured) = if one_place {
                (cas.killed, cas.injured)
            } else {
                (Casualties::default(), Casualties::default())
            };
            let span = doc.span(clause.clone());
            let evidence = Evidence {
                span,
                text: doc.text.get(span.start..span.end).unwrap_or("").to_string(),
            };
            let make = |p: Option<&PlaceHit>| Incident {
                date,
                date_precision: precision,
                place: p.and_then(|p| p.place.clone()),
                admin1: p.and_then(|p| p.admin1.clone()),
                country: p
                    .and_then(|p| p.country.clone())
                    .or_else(|| match opposite(perp) {
                        Side::Ua => Some("UA".to_string()),
                        Side::Ru => Some("RU".to_string()),
                        Side::Unknown => None,
                    }),
                lat: p.and_then(|p| p.lat),
                lon: p.and_then(|p| p.lon),
                geo_precision: Some(p.map(|p| p.precision).unwrap_or(GeoPrecision::Country)),
                perpetrator: perp,
                reported_by,
                weapons: p
                    .filter(|_| !one_place)
                    .and_then(|p| weapons_at(doc, &s.hits, clause, &places, p))
                    .unwrap_or_else(|| weapons.clone()),
                targets: p
                    .filter(|_| !one_place)
                    .and_then(|p| targets_at(doc, &s.hits, clause, p))
                    .unwrap_or_else(|| targets.clone()),
                killed,
                injured,
                evidence: evidence.clone(),
            };
            let town = attacked_town(doc, clause);
            if places.is_empty() {
                found.push(Found {
                    inc: make(None),
                    tally,
                    window,
                    soft,
                    town,
                });
            } else {
                for p in &places {
                    found.push(Found {
                        inc: make(Some(p)),
                        tally,
                        window,
                        soft,
                        town,
                    });
                }
            }
            if !places.is_empty() {
                dctx.last = Some((found.len() - 1, sn));
            }
        }
        // Carry the paragraph's context to the next sentence.
        if let Some(d) = sent_date {
            dctx.window = d == DateRef::Window;
            ctx.date = Some(d);
            if matches!(d, DateRef::Day(_) | DateRef::LastNight(_)) {
                dctx.date = Some(d);
            }
        }
        for clause in &s.clauses {
            if let Some(p) = clause_places(doc, lex, s, clause)
                .into_iter()
                .rev()
                .find(|p| p.precision == GeoPrecision::Settlement)
            {
                dctx.settlement = Some(p);
            }
        }
        if has_attack {
            // A nationwide tally's mix of weapons ("Russia launched missiles and drones at
            // Ukraine") says nothing of what hit a town named next.
            let placed = s
                .places
                .iter()
                .any(|p| matches!(p.precision, GeoPrecision::Settlement | GeoPrecision::Admin1));
            if !sent_weapons.is_empty() && (placed || sent_weapons.len() == 1) {
                ctx.weapons = sent_weapons.clone();
            }
            let r = reporters(doc, lex, s, Side::Unknown);
            if !r.is_empty() {
                ctx.reporters = r;
            }
        }
    }
    merge(found, orphans)
}

fn dates_close(a: Option<chrono::NaiveDate>, b: Option<chrono::NaiveDate>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).num_days().abs() <= 1,
        _ => false,
    }
}

fn same_place(a: &Incident, b: &Incident) -> bool {
    match (&a.place, &b.place) {
        (Some(x), Some(y)) => x == y && a.admin1 == b.admin1,
        (None, None) => a.admin1 == b.admin1,
        _ => false,
    }
}

fn merge_casualties(into: &mut Casualties, c: Casualties) {
    if let Some(n) = c.count
        && into.count.is_none_or(|o| n.n > o.n)
    {
        into.count = Some(n);
    }
    if let Some(v) = c.vague_low {
        into.vague_low = Some(into.vague_low.map_or(v, |o| o.max(v)));
    }
}

fn absorb(into: &mut Incident, b: Incident) {
    if into.date.is_none() {
        into.date = b.date;
        into.date_precision = b.date_precision;
    }
    if into.perpetrator == Side::Unknown {
        into.perpetrator = b.perpetrator;
    }
    if into.reported_by == Reporter::Media && b.reported_by != Reporter::Media {
        into.reported_by = b.reported_by;
    }
    into.weapons.extend(b.weapons);
    refine_weapons(&mut into.weapons);
    into.targets.extend(b.targets);
    into.targets.sort();
    into.targets.dedup();
    if into.targets.len() > 1 {
        into.targets.retain(|t| *t != Target::Unknown);
    }
    merge_casualties(&mut into.killed, b.killed);
    merge_casualties(&mut into.injured, b.injured);
}

/// One incident per (place, day, perpetrator); undated mentions of a place join its dated
/// incident; a placeless mention is dropped when the text places the same day's attacks,
/// unless it is a tally of weapons.
fn merge(found: Vec<Found>, orphans: Vec<Vec<Weapon>>) -> Vec<Incident> {
    let mut out: Vec<Found> = Vec::new();
    // Dated first, so undated mentions can join them.
    let (dated, undated): (Vec<Found>, Vec<Found>) = found
        .into_iter()
        .partition(|f| f.inc.date.is_some() && !f.soft);
    for f in dated.into_iter().chain(undated) {
        let loose = f.inc.date.is_none() || f.soft;
        let compatible = |o: &Found| {
            (same_place(&o.inc, &f.inc)
                || loose
                    && f.inc.place.is_none()
                    && f.inc.admin1.is_some()
                    && o.inc.admin1 == f.inc.admin1)
                && (o.inc.date == f.inc.date || loose)
                && (o.inc.perpetrator == f.inc.perpetrator
                    || o.inc.perpetrator == Side::Unknown
                    || f.inc.perpetrator == Side::Unknown
                    || loose)
        };
        if let Some(o) = out.iter_mut().find(|o| compatible(o)) {
            o.tally |= f.tally;
            o.town |= f.town;
            absorb(&mut o.inc, f.inc);
        } else if f.inc.date.is_some() || f.inc.place.is_some() || f.inc.admin1.is_some() {
            out.push(f);
        }
    }
    let placed_days: Vec<Option<chrono::NaiveDate>> = out
        .iter()
        .filter(|f| f.inc.place.is_some() || f.inc.admin1.is_some())
        .map(|f| f.inc.date)
        .collect();
    out.retain(|f| {
        f.inc.place.is_some()
            || f.inc.admin1.is_some()
            || f.tally
            || !placed_days.contains(&f.inc.date)
    });
    // A region-level mention joins the one settlement incident of that region and day.
    let mut k = 0;
    while k < out.len() {
        let f = &out[k];
        if f.inc.place.is_none() && f.inc.admin1.is_some() {
            let cands: Vec<usize> = (0..out.len())
                .filter(|&j| {
                    j != k
                        && out[j].inc.place.is_some()
                        && out[j].inc.admin1 == f.inc.admin1
                        && dates_close(out[j].inc.date, f.inc.date)
                        && (out[j].inc.perpetrator == f.inc.perpetrator
                            || out[j].inc.perpetrator == Side::Unknown
                            || f.inc.perpetrator == Side::Unknown)
                })
                .collect();
            if cands.len() == 1 {
                let f = out.remove(k);
                let j = if cands[0] > k { cands[0] - 1 } else { cands[0] };
                absorb(&mut out[j].inc, f.inc);
                continue;
            }
        }
        k += 1;
    }
    // A placeless mention joins the one placed incident of its day, if there is exactly one.
    let mut k = 0;
    while k < out.len() {
        let f = &out[k];
        if f.inc.place.is_none() && f.inc.admin1.is_none() && !f.tally {
            let cands: Vec<usize> = (0..out.len())
                .filter(|&j| {
                    j != k
                        && (out[j].inc.place.is_some() || out[j].inc.admin1.is_some())
                        && dates_close(out[j].inc.date, f.inc.date)
                        && (out[j].inc.perpetrator == f.inc.perpetrator
                            || f.inc.perpetrator == Side::Unknown)
                })
                .collect();
            if cands.len() == 1 {
                let f = out.remove(k);
                let j = if cands[0] > k { cands[0] - 1 } else { cands[0] };
                merge_casualties(&mut out[j].inc.killed, f.inc.killed);
                merge_casualties(&mut out[j].inc.injured, f.inc.injured);
                continue;
            }
        }
        k += 1;
    }
    // Undated mentions that joined no dated incident are background, unless a reporting
    // window dates them; month-only tallies without a place are aggregates.
    out.retain(|f| {
        let placeless = f.inc.place.is_none() && f.inc.admin1.is_none();
        if placeless && !f.tally && f.inc.targets.iter().all(|t| *t == Target::Unknown) {
            return false;
        }
        (f.inc.date.is_some() || f.window && f.inc.place.is_some())
            && !(f.inc.date_precision == DatePrecision::Month
                && f.inc.place.is_none()
                && f.inc.admin1.is_none())
    });
    let mut incidents: Vec<Incident> = out
        .into_iter()
        .map(|mut f| {
            if f.town && f.inc.targets.iter().all(|t| *t == Target::Unknown) {
                f.inc.targets = vec![Target::Civilian];
            }
            f.inc
        })
        .collect();
    if incidents.len() == 1 {
        for w in orphans {
            let inc = &mut incidents[0];
            if inc.weapons.contains(&Weapon::Missile)
                && let Some(specific) = w
                    .iter()
                    .find(|w| matches!(w, Weapon::BallisticMissile | Weapon::CruiseMissile))
            {
                inc.weapons.retain(|x| *x != Weapon::Missile);
                inc.weapons.push(*specific);
                refine_weapons(&mut inc.weapons);
            }
        }
    }
    incidents
}

/// An update of a toll: "the death toll rose to 26", "the number of injured has climbed to
/// 40", "the toll now stands at 12".
fn toll_update(doc: &Doc, hits: &[Hit], clause: &Range<usize>) -> bool {
    let toll = clause.clone().any(|i| {
        doc.word(i) == "toll"
            || doc.word(i) == "number"
                && hits.iter().any(|h| {
                    h.start > i
                        && h.start <= i + 4
                        && matches!(h.entry, Entry::Cue(Cue::Kill | Cue::Injure))
                })
    });
    toll && clause.clone().any(|i| {
        matches!(
            doc.word(i),
            "rose" | "risen" | "rises" | "climbed" | "increased" | "reached" | "grew" | "jumped"
        ) || doc.word(i) == "stands" && doc.word(i + 1) == "at"
    })
}

/// Habitual wording: attacks that recur rather than one attack ("strikes continued daily",
/// "on several nights", "night after night", "every day").
fn habitual(doc: &Doc, clause: &Range<usize>) -> bool {
    clause.clone().any(|i| {
        let (w, n) = (doc.word(i), doc.word(i + 1));
        doc.is(i, List::Habitual)
            || doc.is(i, List::Several)
                && matches!(
                    n,
                    "nights" | "night" | "days" | "day" | "times" | "occasions" | "week" | "weeks"
                )
            || n == "after" && matches!(w, "night" | "day") && doc.word(i + 2) == w
    })
}

/// An attack said of a settlement itself: "shelled the village of Antonivka", "dropped two
/// bombs on the town of Bilopillia", "an artillery attack on the village of Kivsharivka",
/// "the village of Spodaryushino was shelled".
fn attacked_town(doc: &Doc, clause: &Range<usize>) -> bool {
    let settlement = |w: &str| {
        matches!(
            w,
            "village" | "villages" | "town" | "city" | "settlement" | "settlements"
        )
    };
    clause.clone().any(|i| {
        settlement(doc.word(i))
            && doc.word(i + 1) == "of"
            && matches!(doc.word(i.saturating_sub(1)), "the" | "border")
            && (i.saturating_sub(4).max(clause.start)..i).any(|k| {
                matches!(
                    doc.word(k),
                    "shelled" | "attacked" | "on" | "struck" | "hit" | "bombed" | "pounded"
                )
            })
            || settlement(doc.word(i))
                && (i + 2..(i + 8).min(clause.end)).any(|k| {
                    matches!(doc.word(k), "shelled" | "attacked" | "struck" | "bombed")
                        && matches!(doc.word(k - 1), "was" | "were" | "been")
                })
    })
}

/// An earlier event recalled without its day ("a week ago", "in a similar attack", "the
/// previous strike", "came days after a missile strike killed 35"): its casualties are not
/// those of the strike the text reports.
fn earlier_event(doc: &Doc, clause: &Range<usize>) -> bool {
    clause.clone().any(|i| {
        let (w, n) = (doc.word(i), doc.word(i + 1));
        matches!(w, "ago" | "previous" | "similar")
            // "days after a missile strike on the city killed 35"
            || matches!(w, "days" | "week" | "weeks" | "month" | "months")
                && matches!(n, "after" | "before")
                && matches!(doc.word(i + 2), "a" | "an")
                && (i + 3..(i + 6).min(clause.end)).any(|k| {
                    matches!(
                        doc.word(k),
                        "strike" | "attack" | "shelling" | "bombing" | "raid" | "barrage"
                    )
                })
    })
}

/// A year before the publication year ("the OSCE mission patrolled until 2022"): history.
fn background_year(doc: &Doc, clause: &Range<usize>) -> bool {
    let Some(published) = doc.published else {
        return false;
    };
    let this = chrono::Datelike::year(&published);
    clause.clone().any(|i| {
        let w = doc.word(i);
        w.len() == 4
            && w.bytes().all(|b| b.is_ascii_digit())
            && w.parse::<i32>().is_ok_and(|y| (1900..this).contains(&y))
    })
}

/// A summary of many reports ("Most Russian claims concern drone attacks on ...", "the
/// majority of the strikes hit ...").
fn summary(doc: &Doc, clause: &Range<usize>) -> bool {
    clause.clone().any(|i| {
        (matches!(doc.word(i), "majority" | "bulk")
            || doc.word(i) == "most" && doc.word(i.saturating_sub(1)) != "the")
            && (i + 1..(i + 4).min(clause.end)).any(|k| {
                matches!(
                    doc.word(k),
                    "claims" | "reports" | "attacks" | "strikes" | "incidents" | "cases" | "of"
                )
            })
    })
}

/// A count of weapons over several days ("fired over 1,100 drones at Ukraine this week",
/// "launched 4,000 drones since the start of the month"): an aggregate, not one night's attack.
/// `counted`: the clause has a number shortly before a weapon.
fn counted_over_days(doc: &Doc, counted: bool, clause: &Range<usize>) -> bool {
    counted
        && clause.clone().any(|i| {
            matches!(
                doc.word(i),
                "week" | "weeks" | "month" | "months" | "weekend"
            ) && matches!(
                doc.word(i.saturating_sub(1)),
                "this" | "last" | "past" | "the" | "a" | "first" | "previous" | "that"
            )
        })
}

/// Whether a clause has casualty words.
fn has_cas_words(s: &Sent, clause: &Range<usize>) -> bool {
    s.hits
        .iter()
        .any(|h| in_range(h, clause) && matches!(h.entry, Entry::Cue(Cue::Kill | Cue::Injure)))
}

/// "came under artillery fire", "was under shelling": a place attacked, said of the place.
fn under_fire(doc: &Doc, clause: &Range<usize>) -> bool {
    clause.clone().any(|i| {
        doc.word(i) == "under"
            && (i + 1..(i + 4).min(clause.end))
                .any(|j| matches!(doc.word(j), "fire" | "shelling" | "bombardment"))
    })
}

/// Whether sentence `sn` or the next one lays blame ("which blamed Ukraine", "attributed the
/// strike to Russia").
fn relays_blame(doc: &Doc, sn: usize) -> bool {
    doc.sents.iter().skip(sn).take(2).any(|s| {
        s.words.clone().any(|i| {
            matches!(
                doc.word(i),
                "blamed"
                    | "blames"
                    | "blaming"
                    | "attributed"
                    | "attributes"
                    | "accused"
                    | "accuses"
            )
        })
    })
}

/// The day that a relative date ("today", "this afternoon", "overnight", "yesterday") at the
/// start of the range's dates means under a dated heading, when the heading's day is before
/// publication; `None` when there is no such heading or the range's first date is no such word.
fn under_heading(
    doc: &Doc,
    s: &Sent,
    r: &Range<usize>,
    heading: Option<chrono::NaiveDate>,
) -> Option<DateRef> {
    let h = heading?;
    if doc.published.is_none_or(|p| h >= p) {
        return None;
    }
    let &(i, d) = s.dates.iter().find(|(i, _)| r.contains(i))?;
    if !matches!(d, DateRef::Day(_) | DateRef::LastNight(_)) {
        return None;
    }
    match (doc.word(i), doc.word(i + 1)) {
        ("today" | "tonight" | "overnight" | "today's" | "tonight's", _)
        | ("this", "morning" | "afternoon" | "evening") => Some(DateRef::Day(h)),
        ("yesterday" | "yesterday's", _) | ("late", "last") => h.pred_opt().map(DateRef::Day),
        ("last", "night") => Some(DateRef::LastNight(h)),
        _ => None,
    }
}

/// In a clause that names several places, the targets named right before one of them ("a
/// hospital in Sumy and the power grid in Sloviansk"): `None` when none stands there.
fn targets_at(doc: &Doc, hits: &[Hit], clause: &Range<usize>, p: &PlaceHit) -> Option<Vec<Target>> {
    let mut v: Vec<Target> = hits
        .iter()
        .filter(|h| in_range(h, clause) && h.end <= p.start && p.start - h.end <= 3)
        .filter(|h| {
            (h.end..p.start).all(|i| {
                matches!(
                    doc.word(i),
                    "in" | "near" | "at" | "of" | "outside" | "the" | "city" | "town" | "village"
                )
            })
        })
        .filter_map(|h| match h.entry {
            Entry::Target(t) => Some(t),
            _ => None,
        })
        .collect();
    v.sort();
    v.dedup();
    (!v.is_empty()).then_some(v)
}

/// In a clause that names several places, the weapons named between the place before and
/// this one ("a ballistic missile hit Dnipro and a drone struck Kharkiv"): `None` when none
/// stands there.
fn weapons_at(
    doc: &Doc,
    hits: &[Hit],
    clause: &Range<usize>,
    places: &[PlaceHit],
    p: &PlaceHit,
) -> Option<Vec<Weapon>> {
    let from = places
        .iter()
        .filter(|o| o.end <= p.start)
        .map(|o| o.end)
        .max()
        .unwrap_or(clause.start)
        .max(clause.start);
    let v = weapons_in(doc, hits, &(from..p.start));
    (!v.is_empty()).then_some(v)
}

/// A period named in the clause: "since the start of the year", "since January", "between 22
/// and 28 March", "so far this year", "this month", "over the past week", "in 2025", "during
/// the reporting period". Counts over it are tallies, not one strike's.
fn period(doc: &Doc, clause: &Range<usize>) -> bool {
    let this_year = doc.published.map(|p| chrono::Datelike::year(&p));
    // "the deadliest strike since January", "the largest attack this year": a comparison.
    let superlative = |i: usize| {
        (i.saturating_sub(6).max(clause.start)..i).any(|k| {
            let w = doc.word(k);
            matches!(
                w,
                "worst" | "first" | "most" | "biggest" | "largest" | "deadliest"
            ) || w.ends_with("iest")
        })
    };
    clause.clone().any(|i| {
        let (w, n) = (doc.word(i), doc.word(i + 1));
        if superlative(i) {
            return false;
        }
        w == "since"
            && (i + 1..(i + 6).min(clause.end)).any(|j| {
                let w = doc.word(j);
                matches!(
                    w,
                    "start"
                        | "beginning"
                        | "year"
                        | "month"
                        | "war"
                        | "invasion"
                        | "began"
                        | "begun"
                        | "started"
                        | "then"
                ) || crate::dates::month(w).is_some()
                    || w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit())
            })
            || w == "between"
                && n.starts_with(|c: char| c.is_ascii_digit())
                && doc.word(i + 2) == "and"
            // "this year", "so far this month", "earlier this year"
            || matches!(w, "this" | "last") && matches!(n, "year" | "month" | "year's" | "month's")
            // "over the past week", "in the last month", "during the previous two weeks"
            || matches!(w, "past" | "last" | "previous")
                && matches!(doc.word(i.saturating_sub(1)), "the")
                && matches!(doc.word(i.saturating_sub(2)), "over" | "in" | "during" | "for")
                && (i + 1..(i + 3).min(clause.end)).any(|j| {
                    matches!(doc.word(j), "week" | "weeks" | "month" | "months" | "year")
                })
            // "from 14 to 20 April", "14-20 April", "on 14, 16 and 18 April": several days.
            || day_span(doc, clause, i)
            // "during the reporting period", "over the week", "in the week of 14-20 April"
            || w == "reporting" && n == "period"
            || matches!(w, "over" | "during" | "throughout")
                && n == "the"
                && matches!(doc.word(i + 2), "week" | "month" | "period" | "fortnight")
            || w == "week" && matches!(n, "of" | "to" | "ending" | "ended")
            // "in 2025" (the current year: the past years are background already)
            || w == "in"
                && n.len() == 4
                && n.parse::<i32>().ok().is_some_and(|y| Some(y) == this_year)
                && crate::dates::month(doc.word(i.saturating_sub(1))).is_none()
    })
}

/// Several days named at word `i`: a range ("from 14 to 20 April", "from 1 April to 7
/// April", "14-20 April", but not "the night of 7-8 March") or a list ("on 14, 16 and 18
/// April").
fn day_span(doc: &Doc, clause: &Range<usize>, i: usize) -> bool {
    let w = doc.word(i);
    // Every span starts at "from" or a day number (asked of every word: answered at once).
    if w != "from" && !w.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let day = |w: &str| {
        !w.is_empty()
            && w.len() <= 2
            && w.bytes().all(|b| b.is_ascii_digit())
            && w.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
    };
    let month_at = |k: usize| crate::dates::month(doc.word(k)).is_some();
    let dated = |k: usize| day(doc.word(k)) || month_at(k);
    let end = clause.end;
    if w == "from" && dated(i + 1) {
        return (i + 2..(i + 5).min(end))
            .any(|k| matches!(doc.word(k), "to" | "until" | "till" | "through") && dated(k + 1));
    }
    let night = || (i.saturating_sub(4)..i).any(|k| matches!(doc.word(k), "night" | "nights"));
    if let Some((a, b)) = w.split_once('-')
        && day(a)
        && day(b)
        && month_at(i + 1)
    {
        return !night();
    }
    day(w)
        && (doc.gap(i).starts_with(',') || doc.word(i + 1) == "and")
        && (i + 1..(i + 3).min(end)).any(|k| day(doc.word(k)))
        && (i + 2..(i + 6).min(end)).any(month_at)
        && !night()
}

/// "dropped a guided bomb on the town", "drops an explosive from a drone": dropping a munition
/// is an attack (the word where it is said).
fn dropped(doc: &Doc, hits: &[Hit], clause: &Range<usize>) -> Option<usize> {
    clause.clone().find(|&i| {
        doc.is(i, List::Drop)
            && (i + 1..(i + 5).min(clause.end)).any(|j| {
                matches!(
                    doc.word(j),
                    "explosive"
                        | "explosives"
                        | "bomb"
                        | "bombs"
                        | "grenade"
                        | "grenades"
                        | "munition"
                        | "munitions"
                ) || hits
                    .iter()
                    .any(|h| h.start == j && matches!(h.entry, Entry::Weapon(_)))
            })
    })
}
