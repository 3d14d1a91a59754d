//! Casualty figures: "killing at least 35", "seven civilians were injured", "the death toll
//! rose to 34", "no injuries". Sub-counts ("including five children") are not counted again;
//! when a text gives several figures for the same kind, the highest stands (texts update
//! themselves upward); vague words ("dozens") give no figure but a conservative low bound.

use truce_model::{Casualties, Count, Qualifier};

use crate::numbers::number_at;
use crate::words::List;

/// Which casualty a cue word names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Killed,
    Injured,
}

/// What the clause's words say about casualties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Found {
    pub killed: Casualties,
    pub injured: Casualties,
}

/// Words that may stand between a number and the casualty word after it.
fn filler_after(w: &str) -> bool {
    matches!(
        w,
        "people"
            | "person"
            | "persons"
            | "civilians"
            | "civilian"
            | "residents"
            | "others"
            | "other"
            | "more"
            | "were"
            | "was"
            | "have"
            | "has"
            | "had"
            | "been"
            | "are"
            | "is"
            | "children"
            | "child"
            | "women"
            | "men"
            | "including"
            | "a"
            | "an"
            | "reportedly"
            | "also"
            | "being"
            | "seriously"
            | "critically"
            | "badly"
            | "slightly"
            | "lightly"
            | "of"
            | "them"
            | "people's"
            | "workers"
            | "employees"
            | "passengers"
            | "police"
            | "officers"
            | "rescuers"
            | "medics"
            | "firefighters"
            | "soldiers"
            | "servicemen"
            | "troops"
            | "teenagers"
            | "teenager"
            | "elderly"
            | "others'"
            | "left"
            | "died"
            | "confirmed"
            | "total"
            | "in"
            | "all"
            | "now"
            | "людей"
            | "людини"
            | "осіб"
            | "особи"
            | "человек"
            | "мирних"
            | "мирных"
            | "жителів"
            | "жителей"
            | "дітей"
            | "детей"
            | "дитина"
            | "ребенок"
            | "ще"
            | "еще"
            | "були"
            | "были"
            | "було"
            | "было"
            | "отримали"
            | "получили"
    )
}

/// Words that may stand between a casualty word and the number after it.
fn filler_before(w: &str) -> bool {
    matches!(
        w,
        "toll"
            | "rose"
            | "risen"
            | "rises"
            | "climbed"
            | "has"
            | "had"
            | "to"
            | "reached"
            | "stands"
            | "stood"
            | "at"
            | "of"
            | "is"
            | "was"
            | "now"
            | "increased"
            | "grew"
            | "jumped"
            | "the"
            | "a"
            | "number"
            | "and"
            | "another"
            | "further"
            | "some"
            | "least"
            | "more"
            | "than"
            | "over"
            | "about"
            | "around"
            | "nearly"
            | "almost"
            | "approximately"
            | "roughly"
            | "up"
            | "close"
            | "upwards"
            | "estimated"
            | "than,"
            | "до"
            | "зросла"
            | "зросло"
            | "выросло"
            | "возросло"
            | "щонайменше"
            | "не"
            | "менше"
            | "менее"
            | "меньше"
            | "понад"
            | "более"
            | "ще"
            | "еще"
            | "сягнула"
    )
}

/// The qualifier written just before word `i` ("at least", "more than", "about", "up to").
fn qualifier(words: &[&str], i: usize) -> Qualifier {
    let w1 = if i >= 1 { words[i - 1] } else { "" };
    let w2 = if i >= 2 { words[i - 2] } else { "" };
    match (w2, w1) {
        ("at", "least")
        | (_, "щонайменше")
        | ("не", "менее")
        | ("не", "менше")
        | (_, "minimum") => Qualifier::AtLeast,
        ("more", "than")
        | (_, "over")
        | ("upwards", "of")
        | (_, "понад")
        | (_, "более")
        | (_, "більше") => Qualifier::MoreThan,
        ("up", "to") | (_, "до") => Qualifier::UpTo,
        ("close", "to")
        | (_, "about")
        | (_, "around")
        | (_, "nearly")
        | (_, "almost")
        | (_, "approximately")
        | (_, "roughly")
        | (_, "some")
        | (_, "estimated")
        | (_, "approx")
        | (_, "около")
        | (_, "близько")
        | (_, "майже")
        | (_, "почти") => Qualifier::Approx,
        _ => Qualifier::Exact,
    }
}

fn vague_low(w: &str) -> Option<u32> {
    match w {
        "dozens" | "десятки" => Some(12),
        "scores" => Some(20),
        "hundreds" | "сотні" | "сотни" => Some(100),
        "several" | "a few" | "кілька" | "несколько" => Some(2),
        _ => None,
    }
}

fn merge(into: &mut Casualties, c: Casualties) {
    if let Some(new) = c.count {
        match into.count {
            Some(old) if old.n >= new.n => {}
            _ => into.count = Some(new),
        }
    }
    if let Some(v) = c.vague_low {
        into.vague_low = Some(into.vague_low.map_or(v, |o| o.max(v)));
    }
}

fn slot(found: &mut Found, kind: Kind) -> &mut Casualties {
    match kind {
        Kind::Killed => &mut found.killed,
        Kind::Injured => &mut found.injured,
    }
}

/// Finds casualty figures in a clause. `cues[i]` says whether word `i` names a casualty kind
/// (from the lexicon's kill/injure cues and [`mark_injury_phrases`]); `gaps[i]` is the text
/// between word `i` and `i + 1`.
pub fn find(words: &[&str], gaps: &[&str], cues: &[Option<Kind>]) -> Found {
    let mut found = Found::default();
    let n = words.len().min(cues.len());
    read_zeros(words, cues, &mut found);
    // "Dead: none", "Injured - none": a tally line with nobody in it.
    for j in 0..n.saturating_sub(1) {
        if matches!(words[j + 1], "none" | "nil" | "нет" | "немає" | "нема") {
            if both_kinds(words[j]) {
                set_zero(&mut found, Kind::Killed);
                set_zero(&mut found, Kind::Injured);
            } else if let Some(kind) = cues[j] {
                set_zero(&mut found, kind);
            }
        }
    }
    // "a 63-year-old man was killed", "injuring the driver": one person.
    for (j, cue) in cues.iter().enumerate() {
        let Some(kind) = *cue else { continue };
        if j > 0 && cues[j - 1] == Some(kind) {
            continue;
        }
        let near = |k: usize| person_noun(words[k]) && has_article(words, k);
        let before = (j.saturating_sub(4)..j)
            .rev()
            .find(|&k| near(k))
            .filter(|&k| {
                words[k + 1..j].iter().all(|w| {
                    filler_after(w)
                        || matches!(*w, "was" | "is" | "aged")
                        || w.bytes().all(|b| b.is_ascii_digit())
                })
            });
        let after = (j + 1..(j + 4).min(n)).find(|&k| near(k));
        if let Some(k) = before.or(after) {
            // "a man and his teenage son": two people coordinated in one phrase.
            let people = if words.get(k + 1) == Some(&"and")
                && (k + 2..(k + 6).min(n))
                    .any(|m| near(m) && cues[k + 2..m].iter().all(Option::is_none))
            {
                2
            } else {
                1
            };
            set_exact(&mut found, kind, people);
        }
    }
    let mut i = 0;
    while i < n {
        if let Some(v) = vague_low(words[i]) {
            // "dozens of people were killed", "killing dozens"
            if let Some(kind) = cue_after(words, cues, i + 1).or_else(|| cue_before(words, cues, i))
            {
                merge(
                    slot(&mut found, kind),
                    Casualties {
                        count: None,
                        vague_low: Some(v),
                    },
                );
            }
            i += 1;
            continue;
        }
        let Some(num) = number_at(words, gaps, i) else {
            i += 1;
            continue;
        };
        let subcount = (i >= 1
            && matches!(
                words[i - 1],
                "including" | "among" | "incl" | "серед" | "среди" | "зокрема" | "том"
            ))
            || (i >= 2
                && matches!(
                    (words[i - 2], words[i - 1]),
                    ("among", "them")
                        | ("of", "whom")
                        | ("of", "them")
                        | ("в", "том")
                        | ("у", "тому")
                ));
        let unit = words.get(i + num.len).copied().unwrap_or("");
        let is_unit = matches!(
            unit,
            "drones"
                | "drone"
                | "missiles"
                | "missile"
                | "km"
                | "kilometres"
                | "kilometers"
                | "miles"
                | "percent"
                | "per"
                | "years"
                | "year"
                | "days"
                | "day"
                | "hours"
                | "hour"
                | "minutes"
                | "times"
                | "homes"
                | "houses"
                | "buildings"
                | "shaheds"
                | "bombs"
                | "rockets"
                | "uavs"
                | "shells"
                | "attacks"
                | "strikes"
                | "tonnes"
                | "tons"
                | "metres"
                | "meters"
                | "am"
                | "pm"
                | "march"
                | "april"
                | "may"
                | "june"
                | "february"
                | "january"
        ) || gaps
            .get(i + num.len - 1)
            .is_some_and(|g| g.starts_with('%') || g.starts_with(':'));
        // "one man, aged 57, was killed": an age, not a count.
        let after_no = i >= 1 && matches!(words[i - 1], "no" | "nobody" | "aged");
        if subcount || is_unit || words[i] == "no" || after_no {
            i += num.len;
            continue;
        }
        let kind = cue_after(words, cues, i + num.len)
            .or_else(|| cue_before(words, cues, i))
            .or_else(|| toll_before(words, cues, i));
        if let Some(kind) = kind {
            let q = qualifier(words, i);
            merge(
                slot(&mut found, kind),
                Casualties {
                    count: Some(Count { n: num.value, q }),
                    vague_low: None,
                },
            );
        }
        i += num.len;
    }
    found
}

/// A noun for people killed and injured alike ("casualties", "victims"): said to be none, it
/// says nobody was killed or hurt.
fn both_kinds(w: &str) -> bool {
    matches!(
        w,
        "casualties" | "casualty" | "victims" | "жертв" | "жертви" | "жертвы"
    )
}

/// Words that say by themselves that people came out unhurt.
fn unhurt(w: &str) -> bool {
    matches!(w, "unhurt" | "unharmed" | "uninjured" | "unscathed")
}

/// Whether the clause has words that can only say nobody was hurt ("no victims", "everyone
/// was unhurt") without a casualty cue of the lexicon.
pub fn zero_words(words: &[&str]) -> bool {
    words.iter().any(|w| both_kinds(w) || unhurt(w))
}

/// Plural words for people at large: "people were not hurt", "no civilians were injured" say
/// nobody was hurt, so nobody was killed either.
fn people_at_large(w: &str) -> bool {
    matches!(
        w,
        "people"
            | "persons"
            | "civilians"
            | "residents"
            | "inhabitants"
            | "locals"
            | "anyone"
            | "anybody"
            | "everyone"
            | "everybody"
            | "all"
    )
}

/// A group narrower than the people at the place ("among our staff", "no workers were
/// hurt"): nobody hurt among them says nothing of deaths elsewhere.
fn narrow_group(w: &str) -> bool {
    matches!(
        w,
        "staff"
            | "employees"
            | "workers"
            | "personnel"
            | "crew"
            | "servicemen"
            | "soldiers"
            | "troops"
            | "passengers"
            | "children"
    )
}

/// Sets an exact count of `n` for `kind` unless the clause gave one already.
fn set_exact(found: &mut Found, kind: Kind, n: u32) {
    let s = slot(found, kind);
    if s.count.is_none() {
        *s = Casualties {
            count: Some(Count {
                n,
                q: Qualifier::Exact,
            }),
            vague_low: None,
        };
    }
}

fn set_zero(found: &mut Found, kind: Kind) {
    set_exact(found, kind, 0);
}

/// Words that may stand between a negation and the casualty word it denies ("no one was
/// seriously hurt", "no civilian casualties", "nobody has been reported injured").
fn zero_filler(w: &str) -> bool {
    matches!(
        w,
        "one"
            | "was"
            | "were"
            | "has"
            | "had"
            | "have"
            | "been"
            | "is"
            | "are"
            | "reported"
            | "people"
            | "persons"
            | "serious"
            | "seriously"
            | "further"
            | "other"
            | "civilian"
            | "civilians"
            | "human"
            | "residents"
            | "of"
            | "the"
            | "them"
            | "us"
            | "our"
            | "among"
            | "confirmed"
            | "new"
            | "additional"
    )
}

/// "no casualties", "no one was killed or injured", "there were no dead or wounded", "people
/// were not hurt", "casualties were avoided", "injuries were not reported", "all residents
/// were unharmed": zero of each kind the words deny. Hedges and missing information ("no
/// information about casualties", "the casualties are being established") are no zero.
fn read_zeros(words: &[&str], cues: &[Option<Kind>], found: &mut Found) {
    let n = words.len().min(cues.len());
    let kind_at = |j: usize| -> Option<(bool, Kind)> {
        if both_kinds(words[j]) {
            Some((true, Kind::Injured))
        } else {
            cues[j].map(|k| (false, k))
        }
    };
    // Whether the words after the casualty word narrow who was spared ("among our staff").
    let narrowed = |j: usize| {
        (j + 1..(j + 5).min(n)).any(|k| narrow_group(words[k]))
            || (j.saturating_sub(4)..j).any(|k| narrow_group(words[k]))
    };
    let mut i = 0;
    while i < n {
        let w = words[i];
        // "no one", "no-one", "nobody", "none of the residents": nobody at all.
        let pronoun = matches!(
            w,
            "nobody" | "no-one" | "noone" | "none" | "ніхто" | "никто"
        ) || (w == "one" && i > 0 && words[i - 1] == "no");
        let neg = pronoun || matches!(w, "no" | "without" | "zero" | "без");
        if !neg {
            i += 1;
            continue;
        }
        // "no reports of casualties" (but not "no immediate reports", a hedge).
        let mut from = i + 1;
        if w == "no"
            && matches!(words.get(i + 1).copied(), Some("reports" | "report"))
            && words.get(i + 2) == Some(&"of")
        {
            from = i + 3;
        }
        let mut denied: Vec<(bool, Kind, usize)> = Vec::new();
        let mut j = from;
        while j < (from + 6).min(n) {
            if let Some((both, kind)) = kind_at(j) {
                denied.push((both, kind, j));
                // "no dead or wounded", "no injuries or deaths", "killed or injured"
                let mut k = j + 1;
                while k < n && (cues[k].is_some() && cues[k] == cues[j]) {
                    k += 1;
                }
                if k + 1 < n
                    && matches!(words[k], "or" | "and" | "nor")
                    && let Some((b2, k2)) = kind_at(k + 1)
                {
                    denied.push((b2, k2, k + 1));
                }
                break;
            }
            // "immediate(ly)" hedges: "no immediate casualties", "no one was immediately
            // reported hurt" say only that none is known yet.
            let filler =
                zero_filler(words[j]) || narrow_group(words[j]) || words[j].ends_with("'s");
            if !filler {
                break;
            }
            j += 1;
        }
        // "No casualties were immediately reported": none known yet.
        let hedged = denied.last().is_some_and(|&(_, _, at)| {
            (at + 1..(at + 4).min(n)).any(|k| words[k] == "immediately")
        });
        if hedged {
            denied.clear();
        }
        for &(both, kind, at) in &denied {
            if both {
                set_zero(found, Kind::Killed);
                set_zero(found, Kind::Injured);
                continue;
            }
            set_zero(found, kind);
            // Nobody hurt: nobody killed either ("no one was hurt", not "no injuries").
            let people = pronoun || words[from..at].iter().any(|w| people_at_large(w));
            if kind == Kind::Injured && people && !narrowed(at) {
                set_zero(found, Kind::Killed);
            }
        }
        i += 1;
    }
    for j in 0..n {
        let Some((both, kind)) = kind_at(j) else {
            continue;
        };
        // "people were not hurt", "residents were not injured": a plural subject, negated.
        if j >= 3
            && words[j - 1] == "not"
            && matches!(words[j - 2], "were" | "was" | "are" | "is" | "been")
        {
            let subject = (j.saturating_sub(6)..j - 2).rev().find(|&k| {
                people_at_large(words[k]) || narrow_group(words[k]) || person_noun(words[k])
            });
            if let Some(k) = subject {
                set_zero(found, kind);
                if both || kind == Kind::Injured && people_at_large(words[k]) && !narrowed(j) {
                    set_zero(found, Kind::Killed);
                    set_zero(found, Kind::Injured);
                }
            }
        }
        // "casualties were avoided", "injuries were not reported".
        let mut k = j + 1;
        while k < n && matches!(words[k], "were" | "was" | "have" | "has" | "had" | "been") {
            k += 1;
        }
        if k > j + 1 && k < n {
            let said_none = words[k] == "avoided"
                || words[k] == "not"
                    && matches!(
                        words.get(k + 1).copied(),
                        Some("reported" | "recorded" | "registered" | "confirmed")
                    );
            if said_none {
                if both {
                    set_zero(found, Kind::Killed);
                }
                set_zero(found, kind);
            }
        }
    }
    // "all residents were unharmed", "the family escaped unhurt".
    for j in 0..n {
        if !unhurt(words[j]) {
            continue;
        }
        let subject = (j.saturating_sub(6)..j).rev().find(|&k| {
            people_at_large(words[k]) || narrow_group(words[k]) || person_noun(words[k])
        });
        if let Some(k) = subject {
            set_zero(found, Kind::Injured);
            if people_at_large(words[k]) {
                set_zero(found, Kind::Killed);
            }
        }
    }
}

/// A casualty word at most five filler words after position `from`.
fn cue_after(words: &[&str], cues: &[Option<Kind>], from: usize) -> Option<Kind> {
    let mut j = from;
    let mut steps = 0;
    while j < words.len() && steps < 6 {
        if let Some(k) = cues[j] {
            return Some(k);
        }
        if !filler_after(words[j]) {
            return None;
        }
        j += 1;
        steps += 1;
    }
    None
}

/// A casualty word at most four filler words before position `at`.
fn cue_before(words: &[&str], cues: &[Option<Kind>], at: usize) -> Option<Kind> {
    let mut j = at;
    let mut steps = 0;
    while j > 0 && steps < 5 {
        j -= 1;
        steps += 1;
        if let Some(k) = cues[j] {
            return Some(k);
        }
        if !filler_before(words[j]) {
            return None;
        }
    }
    None
}

/// A word for one person.
fn person_noun(w: &str) -> bool {
    matches!(
        w,
        "man"
            | "woman"
            | "person"
            | "child"
            | "boy"
            | "girl"
            | "driver"
            | "resident"
            | "teenager"
            | "pensioner"
            | "employee"
            | "worker"
            | "soldier"
            | "passer-by"
            | "passerby"
            | "volunteer"
            | "medic"
            | "rescuer"
            | "firefighter"
            | "policeman"
            | "farmer"
            | "journalist"
            | "son"
            | "daughter"
            | "mother"
            | "father"
            | "husband"
            | "wife"
            | "grandmother"
            | "grandfather"
            | "guard"
            | "student"
            | "nurse"
            | "doctor"
            | "baby"
            | "infant"
            | "occupant"
            | "passenger"
            | "чоловік"
            | "жінка"
            | "мужчина"
            | "женщина"
            | "водій"
            | "водитель"
    )
}

/// "a man", "the driver", "one woman", "an elderly woman", "a 63-year-old man".
fn has_article(words: &[&str], k: usize) -> bool {
    (k.saturating_sub(3)..k).rev().any(|a| {
        matches!(
            words[a],
            "a" | "an" | "the" | "one" | "his" | "her" | "their" | "another"
        )
    }) && words[k.saturating_sub(3)..k]
        .iter()
        .all(|w| !w.bytes().all(|b| b.is_ascii_digit()))
}

/// "The death toll from the strike on Kryvyi Rih has risen to 20": an update verb before the
/// number, and the casualty word further back.
fn toll_before(words: &[&str], cues: &[Option<Kind>], at: usize) -> Option<Kind> {
    // Skip a qualifier ("has risen to at least 34").
    let mut at = at;
    while at >= 2
        && matches!(
            (words[at - 2], words[at - 1]),
            ("at", "least") | ("more", "than") | ("up", "to") | ("close", "to")
        )
    {
        at -= 2;
    }
    if at >= 1
        && matches!(
            words[at - 1],
            "over" | "about" | "around" | "nearly" | "almost" | "some"
        )
    {
        at -= 1;
    }
    let w1 = if at >= 1 { words[at - 1] } else { "" };
    let w2 = if at >= 2 { words[at - 2] } else { "" };
    let update = matches!(
        (w2, w1),
        (
            "rose" | "risen" | "climbed" | "increased" | "grew" | "jumped",
            "to"
        ) | (_, "reached")
            | ("stands" | "stood", "at")
    );
    if !update {
        return None;
    }
    (at.saturating_sub(20)..at).rev().find_map(|j| cues[j])
}

/// Marks the words of injury phrases ("sustained a shrapnel wound", "suffered wounds") as
/// injury cues where no cue stands yet: the verb and its noun name an injury. The caller does
/// this to the cues it hands to [`find`].
pub fn mark_injury_phrases(words: &[&str], cues: &mut [Option<Kind>]) {
    for j in 0..words.len().min(cues.len()) {
        if let Some(v) = injury_phrase(words, j) {
            for c in cues.iter_mut().take(j + 1).skip(v) {
                c.get_or_insert(Kind::Injured);
            }
        }
    }
}

/// "sustained a shrapnel wound", "suffered burns": where the verb stands when the word at `j`
/// is an injury noun it governs.
pub fn injury_phrase(words: &[&str], j: usize) -> Option<usize> {
    if !words
        .get(j)
        .is_some_and(|w| List::InjuryNoun.words().contains(w))
    {
        return None;
    }
    (j.saturating_sub(3)..j).find(|&v| {
        matches!(
            words[v],
            "sustained" | "suffered" | "received" | "sustaining" | "suffering"
        )
    })
}
