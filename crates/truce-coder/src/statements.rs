//! Statements: positions actors take on the ceasefire or peace process (`act` x `about`), with
//! speaker, party and target.

use std::ops::Range;

use truce_lexicon::{ActorKind, Cue, Entry, Hit, Lexicon};
use truce_model::{About, Act, Evidence, Incident, NaiveDate, Party, Statement};

use crate::dates::DateRef;
use crate::doc::{Doc, Sent, actor_kind, actor_of, quote_marks};
use crate::words::List;

fn in_range(h: &Hit, r: &Range<usize>) -> bool {
    h.start >= r.start && h.end <= r.end
}

/// A name for a party when only an adjective names the speaker ("Russian demands").
fn party_name(p: Party) -> &'static str {
    match p {
        Party::Ru => "Russia",
        Party::Ua => "Ukraine",
        Party::Us => "United States",
        Party::Eu => "European Union",
        Party::Uk => "United Kingdom",
        Party::Nato => "NATO",
        Party::Other => "other",
    }
}

/// A speaker candidate: name, party, word position, kind.
#[derive(Debug, Clone)]
struct Who {
    name: String,
    party: Party,
    at: usize,
    kind: ActorKind,
    possessive: bool,
}

fn actors_in(lex: &Lexicon, s: &Sent, r: &Range<usize>) -> Vec<Who> {
    s.hits
        .iter()
        .filter(|h| in_range(h, r))
        .filter_map(|h| {
            let (party, kind) = actor_kind(lex, h)?;
            if kind == ActorKind::Media {
                return None;
            }

            // (The name is copied only when it is the one kept.)
            let name = if kind == ActorKind::Demonym {
                party_name(party).to_string()
            } else {
                actor_of(lex, h)?.2
            };
            Some(Who {
                name,
                party,
                at: h.start,
                kind,
                possessive: h.possessive,
            })
        })
        .collect()
}

/// How specific an `about` is: a clause naming several topics is about the most specific one.
fn rank(a: About) -> u8 {
    match a {
        About::EnergyMoratorium
        | About::MaritimeCeasefire
        | About::EasterTruce
        | About::MayTruce
        | About::PrisonerExchange => 6,
        About::GeneralCeasefire => 5,
        About::Sanctions | About::WeaponsAid | About::Territory => 4,
        About::PeaceTalks => 3,
        About::Other => 2,
    }
}

fn pick_about(doc: &Doc, hits: &[Hit], r: &Range<usize>, act: Act, act_at: usize) -> Option<About> {
    // The act's own stretch ends where ", and Washington resumed ..." begins.
    let stop = (act_at..r.end)
        .find(|&i| {
            doc.gap(i).contains(',')
                && matches!(
                    doc.word(i + 1),
                    "and" | "but" | "while" | "which" | "who" | "whereas"
                )
                // ", which is to enter into a ceasefire": what the act's object is.
                && !matches!(doc.word(i + 2), "is" | "was" | "are" | "were" | "means")
        })
        .map_or(r.end, |i| i + 1);
    let abouts: Vec<(usize, About)> = hits
        .iter()
        .filter(|h| in_range(h, r) && h.start < stop)
        .filter_map(|h| match h.entry {
            Entry::About(a) => Some((h.start, a)),
            _ => None,
        })
        .collect();
    // "a ceasefire in the air, at sea and on land" is a full ceasefire, not a maritime one.
    // (Read only for a maritime truce.)
    let everywhere = || {
        (r.start..stop).any(|i| doc.word(i) == "land")
            && (r.start..stop).any(|i| doc.word(i) == "air")
    };
    // "a ceasefire beyond Easter", "a truce after 9 May for 30 days": a holiday that a general
    // ceasefire reaches past names no holiday truce ("from May 8 to May 10" bounds one).
    let general = abouts.iter().any(|(_, a)| *a == About::GeneralCeasefire);
    let dating = |i: usize| {
        general
            && i > r.start
            && matches!(doc.word(i - 1), "beyond" | "after" | "past")
            && !hits.iter().any(|h| {
                h.start == i
                    && h.end > i + 1
                    && (i..h.end).any(|k| {
                        matches!(doc.word(k), "truce" | "ceasefire" | "pause" | "ceasefires")
                    })
            })
    };
    let abouts: Vec<(usize, About)> = abouts
        .into_iter()
        .filter(|(_, a)| !(*a == About::MaritimeCeasefire && everywhere()))
        .filter(|(i, a)| !(matches!(a, About::EasterTruce | About::MayTruce) && dating(*i)))
        .collect();
    if abouts.is_empty() {
        return None;
    }
    // "keep up the pressure on Russia, including through further sanctions": a named topic
    // outweighs the catch-all.
    let abouts: Vec<(usize, About)> = if abouts.iter().any(|(_, a)| *a != About::Other) {
        abouts
            .into_iter()
            .filter(|(_, a)| *a != About::Other)
            .collect()
    } else {
        abouts
    };
    // "any truce must be verifiable, not a pause for a parade": a topic a demand sets itself
    // against with "not" is no part of it.
    let abouts: Vec<(usize, About)> = if act == Act::Demand {
        abouts
            .into_iter()
            .filter(|(i, _)| !(i.saturating_sub(6).max(act_at)..*i).any(|k| doc.word(k) == "not"))
            .collect()
    } else {
        abouts
    };
    if act == Act::Demand {
        // "demanded that Russia accept a ceasefire": what the other side is to accept.
        let first = abouts
            .iter()
            .filter(|(i, _)| *i >= act_at)
            .min_by_key(|(i, _)| *i);
        if let Some(&(i, a)) = first
            && hits
                .iter()
                .any(|h| h.start > act_at && h.start < i && h.entry == Entry::Act(Act::Accept))
        {
            return Some(a);
        }
        // A condition names what is demanded: the nearest topic after the cue; a ceasefire
        // whose terms follow ("any ceasefire must include a halt to arms deliveries", "a truce
        // only once sanctions are lifted") is about those terms, one with other words after it
        // ("a ceasefire before any talks", "a ceasefire backed by sanctions") is the demand.
        // Concerns raised are over what follows them ("raised concerns over how the ceasefire").
        let terms = |i: usize, j: usize| {
            (i..j).any(|k| {
                matches!(
                    doc.word(k),
                    "include"
                        | "includes"
                        | "including"
                        | "included"
                        | "cover"
                        | "covers"
                        | "covering"
                        | "require"
                        | "requires"
                        | "requiring"
                        | "condition"
                        | "conditions"
                        | "conditional"
                        | "unless"
                        | "until"
                        | "provided"
                        | "only"
                        | "without"
                        | "halt"
                        | "end"
                        | "stop"
                        | "lift"
                        | "lifting"
                        | "no"
                        | "once"
                        | "if"
                )
            })
        };
        let after: Vec<(usize, About)> = abouts
            .iter()
            .copied()
            .filter(|(i, _)| *i >= act_at)
            .collect();
        if doc.word(act_at) != "raised"
            && let Some((_, a)) = after
                .iter()
                .filter(|(i, a)| {
                    *a != About::GeneralCeasefire
                        || !after
                            .iter()
                            .any(|(j, b)| j > i && *b != About::GeneralCeasefire && terms(*i, *j))
                })
                .min_by_key(|(i, _)| *i)
        {
            return Some(*a);
        }
    }
    // A conditional acceptance is about what stands before it ("a Black Sea ceasefire ...
    // would take effect only after ..."); its conditions come after.
    if act == Act::AcceptConditionally {
        return abouts
            .iter()
            .filter(|(i, _)| *i < act_at)
            .max_by_key(|(i, a)| (rank(*a), *i))
            .map(|(_, a)| *a);
    }
    // A named truce outweighs the general word ("declared a ceasefire from 8 to 10 May").
    let after: Vec<&(usize, About)> = abouts.iter().filter(|(i, _)| *i >= act_at).collect();
    if let Some((_, a)) = after
        .iter()
        .filter(|(_, a)| rank(*a) == 6)
        .min_by_key(|(i, _)| *i)
    {
        return Some(*a);
    }
    // The topic named nearest after the act ("accepted the proposal for a 30-day ceasefire"),
    // else the nearest before it; the more specific topic wins at equal distance.
    abouts
        .iter()
        .min_by_key(|(i, a)| {
            let d = if *i >= act_at {
                *i - act_at
            } else {
                1000 + act_at - *i
            };
            (d, 10 - rank(*a))
        })
        .map(|(_, a)| *a)
}

/// A participle used as an adjective or a reduced relative ("Moscow's declared truce", "the
/// agreed pause", "the moratorium announced by the President") names a position taken before,
/// not one the clause's subject takes.
fn attributive(doc: &Doc, s: &Sent, h: &Hit) -> bool {
    if !matches!(h.entry, Entry::Act(_)) || h.end != h.start + 1 {
        return false;
    }
    let w = doc.word(h.start);
    if !w.ends_with("ed") {
        return false;
    }
    let prev = h.start.checked_sub(1).filter(|p| *p >= s.words.start);
    let det = prev.is_some_and(|p| {
        matches!(
            doc.word(p),
            "the" | "a" | "an" | "its" | "their" | "his" | "her" | "this" | "that" | "our"
        ) || s.hits.iter().any(|o| o.end == h.start && o.possessive)
    });
    let by = doc.word(h.end) == "by"
        && prev.is_some_and(|p| {
            !matches!(
                doc.word(p),
                "was" | "were" | "is" | "are" | "been" | "be" | "being" | "and"
            )
        });
    let next_about = s
        .hits
        .iter()
        .any(|o| o.start == h.end && matches!(o.entry, Entry::About(_)));
    // "the Black Sea arrangements agreed in Riyadh": a participle after its noun.
    let reduced = prev.is_some_and(|p| {
        s.hits
            .iter()
            .any(|o| o.end == h.start && matches!(o.entry, Entry::About(_)))
            || matches!(
                doc.word(p),
                "arrangements"
                    | "arrangement"
                    | "deal"
                    | "agreement"
                    | "agreements"
                    | "plan"
                    | "terms"
                    | "measures"
                    | "pause"
                    | "list"
            )
    }) && matches!(
        doc.word(h.end),
        "in" | "at" | "on" | "last" | "earlier" | "with" | "between"
    );
    det && next_about || by || reduced
}

/// A verb cue used in another sense: "a missile slammed into a block" (a physical impact), "the
/// call for a ceasefire", "a pledge of aid" (a noun after a determiner names an act, it is not one).
fn other_sense(doc: &Doc, s: &Sent, h: &Hit) -> bool {
    if !matches!(h.entry, Entry::Act(_)) {
        return false;
    }
    let w = doc.word(h.start);
    let stem = [
        "slam", "call", "push", "pledge", "promise", "vow", "welcome", "back",
    ]
    .into_iter()
    .find(|v| w.starts_with(v));
    let Some(stem) = stem else {
        return false;
    };
    if matches!(doc.word(h.end), "into" | "onto" | "through") {
        return true;
    }
    let det = h.start > s.words.start
        && matches!(
            doc.word(h.start - 1),
            "the" | "a" | "an" | "this" | "that" | "its" | "his" | "her" | "their" | "our" | "any"
        );
    // "renewed its call for a ceasefire", "repeated his pledge": the subject states its own
    // position again.
    let restated = h.start > s.words.start + 1
        && matches!(
            doc.word(h.start - 1),
            "its" | "his" | "her" | "their" | "our"
        )
        && ["renew", "repeat", "reiterat", "reaffirm", "restat"]
            .iter()
            .any(|v| doc.word(h.start - 2).starts_with(v));
    det && !restated && w.len() <= stem.len() + 1
}

/// "said the proposal for an Easter truce was a stunt": a proposal referred to with "the",
/// "this" or "such" as the subject of a verb after it is talked about, not put forward (the act
/// is the clause's other cues, if any).
fn proposal_named(doc: &Doc, s: &Sent, h: &Hit) -> bool {
    h.entry == Entry::Act(Act::Propose)
        && matches!(
            doc.word(h.start),
            "proposal" | "proposals" | "offer" | "offers" | "initiative" | "plan" | "idea"
        )
        && h.start > s.words.start
        && matches!(
            doc.word(h.start - 1),
            "the" | "this" | "that" | "such" | "these"
        )
        && (h.end..(h.end + 8).min(s.words.end))
            .any(|k| matches!(doc.word(k), "was" | "is" | "were" | "are" | "had" | "has"))
}

/// "support for Ukraine", "backed Kyiv": siding with a party is no acceptance of a proposal.
fn backs_a_side(doc: &Doc, lex: &Lexicon, s: &Sent, h: &Hit) -> bool {
    if h.entry != Entry::Act(Act::Accept) {
        return false;
    }
    let mut k = h.end;
    while matches!(
        doc.word(k),
        "for"
            | "of"
            | "to"
            | "our"
            | "the"
            | "unwavering"
            | "full"
            | "continued"
            | "steadfast"
            | "strong"
    ) {
        k += 1;
    }
    // ("support President Trump's call for a ceasefire", "mirror Russia's actions": a
    // possessive names what is backed, not a side).
    s.hits.iter().any(|o| {
        o.start == k
            && !o.possessive
            && actor_of(lex, o).is_some_and(|(_, kind, _)| kind != ActorKind::Demonym)
    })
}

/// "welcomed the prisoner exchange", "welcome the efforts towards a ceasefire": praise for
/// something done or under way takes no position on a proposal; a welcome for one put forward
/// or for a truce ("welcomed the US proposal", "welcomes the Easter truce") accepts it.
fn praise(doc: &Doc, s: &Sent, h: &Hit) -> bool {
    if h.entry != Entry::Act(Act::Accept) || !doc.word(h.start).starts_with("welcom") {
        return false;
    }
    let end = (h.end..(h.end + 6).min(s.words.end))
        .find(|&k| doc.gap(k).contains(','))
        .map_or((h.end + 6).min(s.words.end), |k| k + 1);
    let truce_at = |k: usize| {
        s.hits.iter().any(|t| {
            t.start == k
                && matches!(
                    t.entry,
                    Entry::About(
                        About::GeneralCeasefire
                            | About::EnergyMoratorium
                            | About::MaritimeCeasefire
                            | About::EasterTruce
                            | About::MayTruce
                    )
                )
        })
    };
    let offer = |w: &str| {
        matches!(
            w,
            "proposal" | "proposals" | "offer" | "offers" | "initiative" | "plan" | "idea" | "call"
        )
    };
    let first = (h.end..end).find(|&k| {
        truce_at(k)
            || offer(doc.word(k))
            || matches!(
                doc.word(k),
                "efforts"
                    | "effort"
                    | "meeting"
                    | "meetings"
                    | "talks"
                    | "exchange"
                    | "exchanges"
                    | "swap"
                    | "swaps"
                    | "deal"
                    | "readiness"
                    | "willingness"
                    | "commitment"
                    | "step"
                    | "steps"
                    | "progress"
                    | "release"
                    | "return"
            )
    });
    first.is_some_and(|k| !truce_at(k) && !offer(doc.word(k)))
}

/// Background: "the strike came hours after Ukraine agreed", "when Putin answered the proposal".
fn background_at(doc: &Doc, clause: &Range<usize>, at: usize) -> bool {
    // ("After a call with Zelensky, Merz said ...": a time phrase set off by a comma dates the
    // saying; it does not make the act background.)
    (at.saturating_sub(6).max(clause.start)..at)
        .rev()
        .take_while(|&i| !doc.gap(i).contains(','))
        .any(|i| {
            matches!(doc.word(i), "after" | "before" | "since" | "when" | "until")
                || doc.word(i) == "once" && doc.word(i + 1) != "again"
        })
    // "which Ukraine accepted more than a month ago": recalled.
    || (at..clause.end).any(|i| doc.word(i) == "ago")
}

/// Whether the demand cue at `at` is an obligation put on the subject before it ("must",
/// "should", "would have to", "it is now for", "the onus is on").
fn obligation(doc: &Doc, at: usize) -> bool {
    matches!(
        doc.word(at),
        "must"
            | "should"
            | "would"
            | "have"
            | "has"
            | "had"
            | "needs"
            | "need"
            | "ought"
            | "it"
            | "up"
            | "onus"
    )
}

/// Words that point back to something said before ("agreed to this", "the plan").
fn anaphora(doc: &Doc, r: &Range<usize>) -> bool {
    r.clone().any(|i| {
        matches!(
            doc.word(i),
            "this"
                | "it"
                | "plan"
                | "proposal"
                | "idea"
                | "offer"
                | "initiative"
                | "deal"
                | "one"
                | "pause"
                | "arrangement"
                | "agreement"
                | "step"
                | "kind"
        )
    })
}

/// The word after the longest act cue starting at word `at` (or after `at` itself).
fn act_cue_end(s: &Sent, at: usize) -> usize {
    s.hits
        .iter()
        .filter(|h| h.start == at && matches!(h.entry, Entry::Act(_)))
        .map(|h| h.end)
        .max()
        .unwrap_or(at + 1)
}

/// Where the cue of `act` that starts at word `at` ends (its longest hit), if there is one.
fn cue_end(s: &Sent, at: usize, act: Act) -> Option<usize> {
    s.hits
        .iter()
        .filter(|h| h.start == at && h.entry == Entry::Act(act))
        .map(|h| h.end)
        .max()
}

fn negated(doc: &Doc, r: &Range<usize>, at: usize) -> bool {
    let from = at.saturating_sub(3).max(r.start);
    (from..at).any(|i| {
        matches!(
            doc.word(i),
            "not"
                | "never"
                | "didn't"
                | "hasn't"
                | "won't"
                | "wouldn't"
                | "doesn't"
                | "don't"
                | "refused"
                | "failed"
                | "не"
                | "ні"
        ) || doc.word(i).ends_with("n't")
            || doc.word(i).ends_with("n’t")
    })
}

/// "Moscow expected Washington to make sure ...", "we expect our partners to adopt ...": an
/// expectation put on another is a demand (the word positions of "expect").
fn expects<'a>(
    doc: &'a Doc,
    lex: &'a Lexicon,
    s: &'a Sent,
    r: &'a Range<usize>,
) -> impl Iterator<Item = usize> + 'a {
    r.clone().filter(move |&i| {
        doc.is(i, List::Expect) && (i + 1..(i + 5).min(r.end)).any(|k| doc.word(k) == "to") && {
            let k = i + 1;
            matches!(doc.word(k), "our" | "its" | "their" | "partners" | "allies")
                || s.hits.iter().any(|h| {
                    h.start == k
                        && actor_of(lex, h).is_some_and(|(_, kind, _)| kind != ActorKind::Demonym)
                })
        }
    })
}

/// Whether the cue at `at` has the press, rumour or commentators for its subject ("as some
/// reports suggest", "analysts expect Kyiv to reject", "sources said"): speculation about a
/// position, not one taken.
fn speculative_subject(doc: &Doc, s: &Sent, at: usize) -> bool {
    (at.saturating_sub(2).max(s.words.start)..at).any(|i| {
        matches!(
            doc.word(i),
            "reports"
                | "rumours"
                | "rumors"
                | "speculation"
                | "analysts"
                | "observers"
                | "commentators"
                | "experts"
                | "polls"
                | "pundits"
                | "critics"
        )
    })
}

/// Whether the actor at `at` follows a delegate's title ("the representative of the United
/// Kingdom", "the delegation of Ukraine"): the body that delegate speaks for.
fn delegate_of(doc: &Doc, at: usize, from: usize) -> bool {
    at >= from + 2 && doc.word(at - 1) == "of" && is_delegate_title(doc.word(at - 2))
}

fn is_delegate_title(w: &str) -> bool {
    matches!(
        w,
        "representative"
            | "representatives"
            | "delegation"
            | "delegate"
            | "ambassador"
            | "envoy"
            | "government"
            | "spokesperson"
            | "spokesman"
            | "spokeswoman"
    )
}

/// Where a leading "Asked whether ..., " or "Asked about ..., " phrase ends: the actors named in
/// a question put to the speaker are not the speaker.
fn asked_lead(doc: &Doc, s: &Sent) -> usize {
    let w = s.words.start;
    if doc.word(w) != "asked" {
        return w;
    }
    (w..s.words.end.saturating_sub(1))
        .find(|&i| doc.gap(i).contains(','))
        .map_or(w, |i| i + 1)
}

/// "asked the American side for air defence systems", "asks partners for more Patriots": a
/// request put to another is a demand (the word positions of "asked").
fn asks_for<'a>(
    doc: &'a Doc,
    s: &'a Sent,
    r: &'a Range<usize>,
    asked: usize,
) -> impl Iterator<Item = usize> + 'a {
    r.clone().filter(move |&i| {
        i >= asked
            && doc.is(i, List::Ask)
            && !(i > s.words.start && matches!(doc.word(i - 1), "was" | "were" | "when" | "being"))
            && (i + 1..(i + 6).min(r.end)).any(|k| doc.word(k) == "for")
            && !(i + 1..(i + 6).min(r.end)).any(|k| doc.word(k) == "whether")
    })
}

/// "will not implement the deal until the sanctions on its bank are lifted", "can work only
/// when the restrictions are removed": sanctions relief set as the condition of a deal is a
/// demand about sanctions (the word position where the condition opens).
fn relief_condition(doc: &Doc, s: &Sent, r: &Range<usize>) -> Option<usize> {
    r.clone().find(|&i| {
        let opens = doc.is(i, List::Condition)
            || doc.word(i) == "only" && matches!(doc.word(i + 1), "when" | "once" | "if" | "after");
        if !opens {
            return false;
        }
        // The condition runs to the next comma.
        let end = (i + 1..(i + 16).min(s.words.end))
            .find(|&k| doc.gap(k).contains(','))
            .map_or((i + 16).min(s.words.end), |k| k + 1);
        let span = i + 1..end;
        s.hits
            .iter()
            .any(|h| h.entry == Entry::About(About::Sanctions) && span.contains(&h.start))
            && span.clone().any(|k| {
                matches!(
                    doc.word(k),
                    "lifted"
                        | "lift"
                        | "lifting"
                        | "removed"
                        | "remove"
                        | "removing"
                        | "eased"
                        | "ease"
                        | "easing"
                        | "reconnected"
                        | "reconnect"
                        | "returns"
                        | "returned"
                        | "restored"
                        | "unfrozen"
                        | "scrapped"
                        | "dropped"
                        | "relief"
                )
            })
    })
}

/// "Russia keeps bombing our cities", "its artillery kept firing", "continues to strike our
/// grid": attacks said to go on, in a text about a truce, accuse the side said to carry them
/// on (the word positions of the verb of continuing).
fn persisting<'a>(
    doc: &'a Doc,
    s: &'a Sent,
    r: &'a Range<usize>,
) -> impl Iterator<Item = usize> + 'a {
    let attack_at = move |k: usize| {
        s.hits
            .iter()
            .any(|h| h.start == k && h.entry == Entry::Cue(Cue::Attack))
            || matches!(
                doc.word(k),
                "firing"
                    | "fire"
                    | "shooting"
                    | "shoot"
                    | "pounding"
                    | "pound"
                    | "advancing"
                    | "advance"
                    | "storming"
                    | "storm"
            )
    };
    r.clone().filter(move |&i| {
        doc.is(i, List::Keep)
            && i + 2 < r.end
            && (attack_at(i + 1)
                || doc.word(i + 1) == "to" && attack_at(i + 2)
                || doc.word(i + 1) == "on" && attack_at(i + 2))
    })
}

/// "we will increase pressure on it", "we shall keep supplying air defence": a promise in the
/// first person is a commitment, whatever the verb (the word positions of "will").
fn we_will<'a>(doc: &'a Doc, s: &'a Sent, r: &'a Range<usize>) -> impl Iterator<Item = usize> + 'a {
    r.clone().filter(move |&i| {
        doc.is(i, List::Will)
            && i > r.start
            && matches!(doc.word(i - 1), "we" | "i")
            && i + 1 < r.end
            // "we will accept it", "we will only agree if ...": the verb's own cue decides.
            && !s
                .hits
                .iter()
                .any(|h| (i..i + 3).contains(&h.start) && matches!(h.entry, Entry::Act(_)))
            && !matches!(
                doc.word(i + 1),
                "be" | "have"
                    | "see"
                    | "not"
                    | "never"
                    | "know"
                    | "decide"
                    | "consider"
                    | "study"
                    | "look"
                    | "wait"
                    | "judge"
                    | "think"
            )
    })
}

/// Whether the sentence reports someone's words: a verb of saying, or a quotation.
fn attributed(doc: &Doc, s: &Sent, at: usize) -> bool {
    s.hits.iter().any(|h| h.entry == Entry::Cue(Cue::Report)) || in_lead_quote(doc, s, at)
}

/// "Ukraine must pull its forces out", "any ceasefire has to include ...", "Moscow needs to
/// show ...": an obligation put in someone's words is a demand (the word positions of the
/// modal). "should" opening a clause is a condition ("Should Russia refuse, ..."), "must have"
/// a guess, and "had to" outside reported speech a narrated necessity.
fn obliges<'a>(doc: &'a Doc, s: &'a Sent, r: &'a Range<usize>) -> impl Iterator<Item = usize> + 'a {
    r.clone().filter(move |&i| {
        let next = doc.word(i + 1);
        let ok = match doc.word(i) {
            "must" => next != "have",
            "should" => i > r.start && next != "have",
            // "it is now up to Kyiv to respond": an answer put on that side.
            "up" => {
                next == "to"
                    && i > r.start
                    && matches!(doc.word(i - 1), "now" | "is" | "was" | "it's")
                    && s.hits
                        .iter()
                        .any(|h| h.start == i + 2 && matches!(h.entry, Entry::Actor(_)))
            }
            "has" | "have" | "had" | "needs" | "need" | "ought" => {
                next == "to"
                    && !matches!(doc.word(i + 2), "do" | "say" | "be" | "flee" | "leave")
                    && i > r.start
                    && !matches!(doc.word(i - 1), "will" | "would" | "may" | "might")
            }
            _ => false,
        };
        if !ok {
            return false;
        }
        // "must be feeling the pressure": an inference, not an obligation.
        let inferred = matches!(doc.word(i + 1), "be" | "been") && doc.word(i + 2).ends_with("ing");
        // "an analyst said Moscow must ...": a commentator's view is no side's demand.
        let commented = (s.words.start..i).any(|k| doc.is(k, List::Commentator));
        !inferred
            && !commented
            && i + 2 < r.end
            && attributed(doc, s, i)
            // The verb's own cue decides ("must stop", "would have to lift").
            && !s.hits.iter().any(|h| {
                (i..i + 3).contains(&h.start) && h.entry == Entry::Act(Act::Demand)
            })
    })
}

/// "Moscow indicated it would keep its missiles away from power stations", "the minister said
/// Kyiv would never cede land": a side's own future deed in reported words promises it; a
/// refusal of a deed ("would not withdraw") rejects (the word positions of the modal, with the
/// act). The subject must be the sayer's own side or a pronoun; `sayer` is the party a title
/// or pronoun for the sayer points back to.
fn promised(
    doc: &Doc,
    lex: &Lexicon,
    s: &Sent,
    r: &Range<usize>,
    sayer: Option<Party>,
) -> Vec<(usize, Act)> {
    let mut out = Vec::new();
    for i in r.clone() {
        let w = doc.word(i);
        let contracted = matches!(w, "wouldn't" | "won't");
        if !(matches!(w, "will" | "would" | "shall" | "'ll") || contracted) || i <= r.start {
            continue;
        }
        let mut k = i - 1;
        while k > r.start && matches!(doc.word(k), "also" | "still" | "now" | "soon" | "then") {
            k -= 1;
        }
        // "The government, she said, would ...": the subject before a parenthetical sayer.
        if k > r.start + 1
            && matches!(doc.word(k - 1), "he" | "she")
            && s.hits
                .iter()
                .any(|h| h.start == k && h.entry == Entry::Cue(Cue::Report))
        {
            k -= 2;
        }
        // "the government would keep providing aid", "..., but would not withdraw": the
        // sayer's own side, or the subject of the clause before.
        let pronoun = matches!(doc.word(k), "it" | "they" | "he" | "she" | "but")
            || matches!(
                doc.word(k),
                "government"
                    | "country"
                    | "side"
                    | "administration"
                    | "leadership"
                    | "bloc"
                    | "alliance"
            ) && k > r.start
                && matches!(
                    doc.word(k - 1),
                    "the" | "his" | "her" | "its" | "our" | "their"
                );
        let subject = s.hits.iter().find_map(|h| {
            if h.end != k + 1 || h.possessive {
                return None;
            }
            actor_kind(lex, h).filter(|(_, kind)| *kind != ActorKind::Demonym)
        });
        if !pronoun && subject.is_none() {
            continue;
        }
        if !attributed(doc, s, i) {
            continue;
        }
        // The sayer: the subject of the verb of saying before the modal, else the one
        // `sayer` names.
        // Nobody named as saying so: a rumour or a forecast.
        let Some(said_by) = speaker_before(lex, s, k)
            .or_else(|| tail_speaker(lex, s))
            .map(|w| w.party)
            .or(sayer)
        else {
            continue;
        };
        if subject.is_some_and(|(p, _)| p != said_by) {
            continue;
        }
        // "would halt strikes if Kyiv did the same": a conditional offer, not a promise.
        if (i..r.end).any(|j| matches!(doc.word(j), "if" | "unless" | "provided")) {
            continue;
        }
        let mut v = i + 1;
        let neg = contracted || matches!(doc.word(v), "not" | "never");
        if !contracted && neg {
            v += 1;
        }
        // "would no longer fly around the world to broker meetings": a change of course, not a
        // position on a deal.
        if doc.word(v) == "no" && doc.word(v + 1) == "longer" {
            continue;
        }
        if v >= r.end
            || matches!(
                doc.word(v),
                "be" | "have"
                    | "like"
                    | "need"
                    | "want"
                    | "consider"
                    | "study"
                    | "look"
                    | "wait"
                    | "see"
                    | "know"
                    | "decide"
                    | "think"
                    | "depend"
                    | "try"
                    | "probably"
                    | "likely"
                    | "only"
                    | "seek"
                    | "face"
                    | "use"
                    | "lose"
                    | "win"
                    | "collapse"
                    | "fail"
                    | "happen"
                    | "come"
                    | "get"
                    | "comment"
                    | "say"
                    | "speculate"
                    | "elaborate"
                    | "disclose"
                    | "confirm"
                    | "reveal"
                    | "believe"
            )
        {
            continue;
        }
        // The verb's own cue decides ("would accept", "will not join").
        if s.hits
            .iter()
            .any(|h| (i..v + 2).contains(&h.start) && matches!(h.entry, Entry::Act(_)))
        {
            continue;
        }
        // "would not strike energy sites" promises restraint; "would not withdraw" refuses.
        let restraint = matches!(
            doc.word(v),
            "strike" | "attack" | "hit" | "target" | "fire" | "shell" | "bomb" | "use" | "launch"
        );
        out.push((
            i,
            if neg && !restraint {
                Act::Reject
            } else {
                Act::Commit
            },
        ));
    }
    out
}

/// "insisted its units had not fired a single shot", "said Ukrainian forces never struck the
/// station": a side saying its own forces did not attack denies the charge (the word positions
/// of the negation). The subject must be the sayer's own side, its forces, or a pronoun.
fn denied_deed<'a>(
    doc: &'a Doc,
    lex: &'a Lexicon,
    s: &'a Sent,
    r: &'a Range<usize>,
) -> impl Iterator<Item = usize> + 'a {
    r.clone().filter(move |&i| {
        if !matches!(
            doc.word(i),
            "not" | "never" | "didn't" | "hadn't" | "haven't" | "hasn't"
        ) {
            return false;
        }
        let deed = (i + 1..(i + 5).min(r.end)).any(|k| {
            s.hits
                .iter()
                .any(|h| h.start == k && h.entry == Entry::Cue(Cue::Attack))
                || matches!(doc.word(k), "violated" | "breached" | "broken" | "broke")
        });
        if !deed || i <= r.start {
            return false;
        }
        let mut k = i - 1;
        while k > r.start && matches!(doc.word(k), "had" | "has" | "have" | "did" | "was" | "were")
        {
            k -= 1;
        }
        // The sayer: the subject of the verb of saying before, else the sentence's first
        // actor ("Russia's defence ministry, for its part, insisted ...").
        let Some(sayer) = speaker_before(lex, s, k).or_else(|| {
            s.hits
                .iter()
                .any(|h| h.entry == Entry::Cue(Cue::Report) && h.end <= k)
                .then(|| {
                    actors_in(lex, s, &(s.words.start..k))
                        .into_iter()
                        .find(|w| w.kind != ActorKind::Demonym)
                })
                .flatten()
        }) else {
            return false;
        };
        let own = matches!(
            doc.word(k),
            "it" | "they" | "we" | "units" | "forces" | "troops" | "army" | "soldiers" | "military"
        ) && !s.hits.iter().any(|h| {
            h.end == k + 1 || h.end == k
        } && actor_kind(lex, h).is_some_and(|(p, _)| p != sayer.party));
        let named = s
            .hits
            .iter()
            .any(|h| h.end == k + 1 && actor_kind(lex, h).is_some_and(|(p, _)| p == sayer.party));
        own || named
    })
}

fn hedged(doc: &Doc, r: &Range<usize>, at: usize) -> bool {
    // "Putin was preparing to reject the plan": an intent someone else ascribes is no position.
    if at >= r.start + 2
        && doc.word(at - 1) == "to"
        && matches!(doc.word(at - 2), "preparing" | "pretending" | "planning")
    {
        return true;
    }
    // "If Russia refuses, the Union stands ready to ...": the condition ends at its comma.
    if matches!(doc.word(r.start), "whether" | "if" | "unless" | "should")
        && !(r.start..at).any(|i| doc.gap(i).contains(','))
    {
        return true;
    }
    // "Russia would have broken the very pause it had just agreed": a counterfactual.
    if (r.start + 1..at).any(|i| {
        doc.word(i) == "have" && matches!(doc.word(i - 1), "would" | "could" | "might" | "should")
    }) {
        return true;
    }
    // "in case such a ceasefire is not agreed": a condition reaching the act.
    let cond = (r.start..at)
        .rev()
        .take_while(|&i| !doc.gap(i).contains(','))
        .any(|i| {
            matches!(doc.word(i), "if" | "unless" | "whether")
                || doc.word(i) == "case" && i > 0 && doc.word(i - 1) == "in"
        });
    let from = at.saturating_sub(3).max(r.start);
    // "may" as a modal, not the month ("on 11 May").
    // "there could be no recognition": a refusal of any, not a hedge.
    let none_can = at >= 2
        && doc.word(at - 1) == "be"
        && matches!(doc.word(at - 2), "could" | "can" | "would" | "will")
        && doc.word(at) == "no";
    cond || (from..at).any(|i| {
        matches!(doc.word(i), "might" | "could" | "if" | "whether") && !none_can
            || doc.word(i) == "may" && doc.orig(i) == "may"
    }) || r.clone().any(|i| doc.is(i, List::Doubt))
}

/// State kept while reading the document.
#[derive(Default)]
struct Memory {
    /// First person named in the latest clause that named one (for "he", "she").
    last_person: Option<Who>,
    /// The latest statement (for ellipsis and "this").
    last: Option<Statement>,
    /// A sentence that announced demands without naming them ("a list of demands").
    pending_demand: Option<Who>,
    /// The latest named truce a statement was about (for "the truce", "it", "the pause").
    truce: Option<About>,
    /// The most specific topic the latest sentence naming one named, and that sentence's
    /// index ("Is Kyiv observing the energy moratorium?" - "It has been violating it").
    topic: Option<(usize, About)>,
    /// The sentence index of the latest statement coded.
    last_sn: Option<usize>,
    /// Who holds the floor in a transcript ("Maria Zakharova: ...", "Q: ...", "A: ...").
    turn: Turn,
    /// The latest proposal or demand (what "this step" accepts or rejects).
    proposal: Option<Statement>,
    /// The sentence being read (for the recency of the memories below).
    sn: usize,
    /// The sentence where `last_person` was named.
    last_person_sn: usize,
    /// The speaker of the latest statement, and its sentence (for "he", "she" when the speaker
    /// was a title or a body: "A senior Kremlin aide said ... He accused ...").
    last_speaker: Option<(usize, Who)>,
    /// The latest body or state named, possessives included ("The Kremlin's version differed.
    /// Its spokesman said ...").
    last_body: Option<Who>,
}

impl Memory {
    /// Who "he" or "she" points back to: the person named last, or the latest speaker when that
    /// one spoke more recently.
    fn pronoun(&self) -> Option<Who> {
        match (&self.last_person, &self.last_speaker) {
            (Some(p), Some((k, w))) => Some(if *k > self.last_person_sn {
                w.clone()
            } else {
                p.clone()
            }),
            (Some(p), None) => Some(p.clone()),
            (None, Some((_, w))) => Some(w.clone()),
            (None, None) => None,
        }
    }
}

/// The speaker label of a transcript's turn.
#[derive(Default, Clone)]
enum Turn {
    /// No labels seen: an ordinary text.
    #[default]
    None,
    /// A question ("Question:", "Q:"): asks, takes no position.
    Question,
    /// An answer by this speaker (the label's actor, or the interviewee for "A:").
    Speaker(Who),
}

/// A speaker label opening a sentence ("Zakharova: ...", "QUESTION: ...", "A: ..."): the label's
/// words end at a colon within the first five words.
fn turn_label(doc: &Doc, lex: &Lexicon, s: &Sent, voice: &Option<Who>) -> Option<Turn> {
    let end = (s.words.start..(s.words.start + 5).min(s.words.end))
        // "Q (Suspilne): ..." - the colon after the bracket.
        .find(|&i| doc.gap(i).trim_start_matches(')').starts_with(':'))?;
    let first = doc.word(s.words.start);
    // "Q (Interfax-Ukraine):": the asker's outlet in brackets.
    let bracketed = end > s.words.start && doc.gap(s.words.start).trim_start().starts_with('(');
    if (end == s.words.start || bracketed)
        && matches!(
            first,
            "q" | "question" | "journalist" | "reporter" | "interviewer" | "correspondent"
        )
    {
        return Some(Turn::Question);
    }
    if end == s.words.start && matches!(first, "a" | "answer") {
        return voice.clone().map(Turn::Speaker);
    }
    // Only a person holds the floor: "Ukraine: Statement by ..." is a heading's topic.
    actors_in(lex, s, &(s.words.start..end + 1))
        .into_iter()
        .find(|w| w.kind == ActorKind::Person && !w.possessive)
        .map(Turn::Speaker)
}

/// The speaker of a quotation that opens in this sentence and closes in the next one of the
/// paragraph ('"We are ready ... today. Russia is the one attaching conditions," Sybiha said.').
fn quote_closer(doc: &Doc, lex: &Lexicon, sn: usize) -> Option<Who> {
    let s = doc.sents.get(sn)?;
    let next = doc.sents.get(sn + 1)?;
    if next.paragraph != s.paragraph {
        return None;
    }
    let text = doc
        .text
        .get(doc.span(s.words.clone()).start..doc.span(next.words.clone()).start)?;
    // The opening mark may sit in the gap before the sentence's first word ('Moscow. "We ...').
    let lead = if s.words.start > 0 {
        doc.gap(s.words.start - 1)
    } else {
        ""
    };
    let lead_straight = usize::from(lead.ends_with('"'));
    let lead_curly = usize::from(lead.ends_with('“') || lead.ends_with('«'));
    let opens = (lead_straight + lead_curly > 0 || text.trim_start().starts_with(['"', '“', '«']))
        && ((text.matches('"').count() + lead_straight) % 2 == 1
            || text.matches('“').count() + lead_curly > text.matches('”').count());
    if !opens {
        return None;
    }
    sentence_speaker(doc, lex, next)
}

/// Whether the sentence after `sn` in the same paragraph opens with a reservation ("We agree
/// with the proposals. But we proceed from ...").
fn but_follows(doc: &Doc, sn: usize) -> bool {
    let (Some(s), Some(next)) = (doc.sents.get(sn), doc.sents.get(sn + 1)) else {
        return false;
    };
    next.paragraph == s.paragraph && matches!(doc.word(next.words.start), "but" | "however" | "yet")
}

/// Codes the statements of a document. `incidents` lets a condemnation without a named target
/// aim at the perpetrator of the attack the text reports.
pub fn find(doc: &Doc, lex: &Lexicon, incidents: &[Incident]) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::new();
    let mut mem = Memory::default();
    let dominant = dominant_about(doc);
    let truce = named_truce(doc);
    let voice = doc_voice(doc, lex);
    let attacker = incidents.iter().find_map(|i| i.perpetrator.party());
    for (sn, s) in doc.sents.iter().enumerate() {
        mem.sn = sn;
        if let Some(t) = turn_label(doc, lex, s, &voice) {
            mem.turn = t;
        }
        // A sentence's topic, for "it" in the sentences after it.
        // "a ceasefire on land, in the air and at sea" names no maritime truce.
        // (Read only for a maritime truce.)
        let everywhere = || {
            s.words.clone().any(|i| doc.word(i) == "land")
                && s.words.clone().any(|i| doc.word(i) == "air")
        };
        let named = s
            .hits
            .iter()
            .filter_map(|h| match h.entry {
                Entry::About(a) if !(a == About::MaritimeCeasefire && everywhere()) => Some(a),
                _ => None,
            })
            .max_by_key(|a| rank(*a));
        let prev_topic = mem.topic;
        if let Some(a) = named {
            mem.topic = Some((sn, a));
        }
        // A question in a transcript asks; it takes no position.
        if matches!(mem.turn, Turn::Question) {
            continue;
        }
        let turn = match &mem.turn {
            Turn::Speaker(w) => Some(w.clone()),
            _ => None,
        };
        let closer = if s.hits.iter().any(|h| matches!(h.entry, Entry::Act(_))) {
            quote_closer(doc, lex, sn)
        } else {
            None
        };
        let asks = doc.gap(s.words.end.saturating_sub(1)).starts_with('?');
        let sent_day = s.dates.iter().find_map(|(_, d)| match d {
            DateRef::Day(d) | DateRef::LastNight(d) => Some(*d),
            _ => None,
        });
        let lead = s.words.start;
        let lists = matches!(
            (doc.word(lead), doc.word(lead + 1)),
            ("these" | "they" | "those", "include" | "included")
        );
        if lists && let Some(who) = mem.pending_demand.clone() {
            let mut seen = Vec::new();
            for h in s.hits.iter() {
                if let Entry::About(a) = h.entry
                    && !seen.contains(&a)
                {
                    seen.push(a);
                    let clause = s
                        .clauses
                        .iter()
                        .find(|c| c.contains(&h.start))
                        .cloned()
                        .unwrap_or(s.words.clone());
                    let target = actors_in(lex, s, &s.words)
                        .into_iter()
                        .find(|w| {
                            w.party != who.party
                                && matches!(w.party, Party::Ru | Party::Ua | Party::Us)
                        })
                        .map(|w| w.party);
                    push(
                        &mut out,
                        doc,
                        &clause,
                        &who,
                        Act::Demand,
                        a,
                        target,
                        sent_day,
                    );
                }
            }
            mem.pending_demand = None;
            continue;
        }
        mem.pending_demand = None;
        // "The representative of the United Kingdom said ... Any peace, she said, must ...": the
        // body a delegate speaks for is who "she" points back to.
        if let Some(d) = actors_in(lex, s, &s.words).into_iter().find(|w| {
            delegate_of(doc, w.at, s.words.start)
                || w.possessive && is_delegate_title(doc.word(speaker_end(s, w)))
                // "Ukraine's energy minister said ... she wrote": the side the title serves.
                || w.possessive
                    && w.kind != ActorKind::Person
                    && (speaker_end(s, w)..(speaker_end(s, w) + 3).min(s.words.end))
                        .any(|i| is_person_title(doc.word(i)))
        }) {
            mem.last_person = Some(d);
            mem.last_person_sn = sn;
        }
        // "An official, who asked not to be named, suggested ...", "a diplomat, speaking on
        // condition of anonymity, said ...": an unnamed source's word is no side's position.
        if s.words.clone().any(|i| {
            doc.word(i) == "anonymity"
                || doc.word(i) == "named"
                    && i >= 2
                    && doc.word(i - 1) == "be"
                    && matches!(doc.word(i - 2), "to")
        }) {
            remember_person(&mut mem, &actors_in(lex, s, &s.words));
            continue;
        }
        let asked = asked_lead(doc, s);
        // Where the sentence first says "reports that ...", once, not per act cue.
        let reports_that = s
            .words
            .clone()
            .find(|&i| doc.is(i, List::Rumour) && doc.word(i + 1) == "that");
        // "The minister said ...", "she added ...": the sayer a title or pronoun points back to.
        // ("The spokeswoman told reporters ...": the person named in the sentences just before,
        // else the body named last.)
        let spokes = s.words.clone().any(|i| {
            doc.word(i).starts_with("spokes")
                && matches!(
                    doc.word(i).trim_end_matches("'s").trim_end_matches("’s"),
                    "spokesman" | "spokeswoman" | "spokesperson"
                )
                && i > s.words.start
                && matches!(
                    doc.word(i - 1),
                    "the" | "a" | "its" | "their" | "his" | "her"
                )
        });
        let title_who = if pronoun_reporter(doc, s) || person_title(doc, s.words.clone()).is_some()
        {
            mem.pronoun()
        } else if spokes {
            mem.pronoun()
                .filter(|_| mem.last_person_sn + 3 >= sn)
                .or_else(|| mem.last_body.clone())
        } else {
            None
        };
        let title_sayer = title_who.as_ref().map(|w| w.party);
        for clause in &statement_clauses(doc, lex, s) {
            let actors: Vec<Who> = actors_in(lex, s, clause)
                .into_iter()
                .filter(|w| w.at >= asked)
                .collect();
            let relief = relief_condition(doc, s, clause);
            // A text, or the sentences just read, about a truce.
            // Only someone's word, not the text's own narrative, accuses ("said", a turn).
            let truce_talk = (truce.is_some()
                || mem.truce.is_some()
                || mem.topic.is_some_and(|(k, a)| k + 3 >= sn && rank(a) >= 5))
                && (turn.is_some() || s.hits.iter().any(|h| h.entry == Entry::Cue(Cue::Report)));
            // "would take effect only once sanctions are lifted": the deal's entry into force
            // on terms, a conditional acceptance of the deal.
            let relief_demand = relief.filter(|&r| {
                !(r.saturating_sub(3)..r).any(|i| matches!(doc.word(i), "effect" | "force"))
            });
            // Obligations and promised deeds read from modals (no cue word of their own).
            let obliged: Vec<usize> = obliges(doc, s, clause).collect();
            let promises = promised(doc, lex, s, clause, title_sayer);
            let acts: Vec<(usize, Act)> = s
                .hits
                .iter()
                .filter(|h| in_range(h, clause) && matches!(h.entry, Entry::Act(_)))
                .filter(|h| {
                    !attributive(doc, s, h)
                        && !backs_a_side(doc, lex, s, h)
                        && !other_sense(doc, s, h)
                        && !proposal_named(doc, s, h)
                        && !praise(doc, s, h)
                })
                // "blame the Ukrainians for refusing to ...", "accused Moscow of seeking ...": a
                // gerund after a preposition is what another act is about.
                .filter(|h| {
                    !(h.start > s.words.start
                        && matches!(doc.word(h.start - 1), "for" | "of")
                        && doc.word(h.start).ends_with("ing"))
                })
                // "responding to any violations": a hypothetical breach accuses nobody; "the list
                // of these violations" points back to an accusation already made.
                .filter(|h| {
                    !(h.entry == Entry::Act(Act::Accuse)
                        && ((h.start.saturating_sub(2)..h.start)
                            .any(|i| matches!(doc.word(i), "any" | "these" | "those" | "such"))
                            // "would raise the violations with the Americans": ones named before.
                            || h.start > 0
                                && doc.word(h.start - 1) == "the"
                                && matches!(doc.word(h.start), "violations" | "provocations")
                            // "the lists of violations had been passed on": a record of charges.
                            || h.start > 1
                                && doc.word(h.start - 1) == "of"
                                && matches!(doc.word(h.start - 2), "list" | "lists")))
                })
                // "pushed back against reports that Kyiv might accept a US proposal": what
                // reports or rumours say is no one's position.
                .filter(|h| reports_that.is_none_or(|at| at >= h.start))
                // "as some reports suggest", "analysts expect": a cue whose subject is the press or
                // commentators speculates; it takes no side's position.
                .filter(|h| !speculative_subject(doc, s, h.start))
                // "suggested that the question would return at the talks": a forecast, not a
                // proposal.
                .filter(|h| {
                    !(h.entry == Entry::Act(Act::Propose)
                        && doc.word(h.start).starts_with("suggest")
                        && doc.word(h.end) == "that"
                        && (h.end + 1..(h.end + 8).min(s.words.end)).any(|i| {
                            matches!(
                                doc.word(i),
                                "would" | "will" | "might" | "could" | "may" | "was" | "had"
                            )
                        }))
                })
                // "declined to say whether ...", "declined to comment": no answer is no refusal.
                .filter(|h| {
                    !(h.entry == Entry::Act(Act::Reject)
                        && doc.word(h.end) == "to"
                        && matches!(
                            doc.word(h.end + 1),
                            "say"
                                | "comment"
                                | "be"
                                | "speculate"
                                | "elaborate"
                                | "disclose"
                                | "confirm"
                                | "give"
                                | "answer"
                        ))
                })
                // "speaking on condition of anonymity": no condition on a deal.
                .filter(|h| !(doc.word(h.end) == "of" && doc.word(h.end + 1) == "anonymity"))
                // "for as long as it takes": no condition.
                .filter(|h| {
                    !(doc.word(h.end) == "it" && matches!(doc.word(h.end + 1), "takes" | "took"))
                })
                .filter_map(|h| match h.entry {
                    Entry::Act(a) => Some((h.start, a)),
                    _ => None,
                })
                .chain(expects(doc, lex, s, clause).map(|i| (i, Act::Demand)))
                .chain(asks_for(doc, s, clause, asked).map(|i| (i, Act::Demand)))
                .chain(relief_demand.map(|i| (i, Act::Demand)))
                .chain(we_will(doc, s, clause).map(|i| (i, Act::Commit)))
                .chain(obliged.iter().map(|&i| (i, Act::Demand)))
                .chain(promises.iter().copied())
                .chain(denied_deed(doc, lex, s, clause).map(|i| (i, Act::Deny)))
                .chain(
                    truce_talk
                        .then(|| persisting(doc, s, clause))
                        .into_iter()
                        .flatten()
                        .map(|i| (i, Act::Accuse)),
                )
                .collect();
            let mut acts = acts;
            acts.sort_by_key(|(i, _)| *i);
            // "Who will determine where a violation has happened?": an accusation asked about is
            // not made.
            // "Will the US recognise Crimea?", "Would Kyiv trade land for peace?": a question asked
            // in the text's own voice, quoting nobody, takes no position at all.
            let own_question = asks
                && turn.is_none()
                && !s.words.clone().any(|i| in_quotes(doc, s, i))
                && !s.hits.iter().any(|h| h.entry == Entry::Cue(Cue::Report));
            let acts: Vec<(usize, Act)> = if own_question {
                Vec::new()
            } else if asks {
                acts.into_iter()
                    .filter(|(_, a)| !matches!(a, Act::Accuse | Act::Deny))
                    .collect()
            } else {
                acts
            };
            let clause_day = s.dates.iter().find_map(|(i, d)| match d {
                DateRef::Day(d) | DateRef::LastNight(d) if clause.contains(i) => Some(*d),
                _ => None,
            });
            let day = clause_day.or(sent_day);
            // "accepted the U.S. proposal for a ceasefire": the proposal is its author's.
            let author_of = |at: usize, a: Act| {
                if a != Act::Propose
                    || !matches!(doc.word(at), "proposal" | "offer" | "initiative" | "plan")
                {
                    return None;
                }
                actors
                    .iter()
                    .find(|w| w.at < at && speaker_end(s, w) == at && w.kind != ActorKind::Forces)
            };
            for &(at, a) in &acts {
                let Some(author) = author_of(at, a) else {
                    continue;
                };
                // "Ukraine accepted the U.S. proposal ... on March 11": a proposal recalled
                // as history, not put forward now.
                let recalled = acts
                    .iter()
                    .any(|&(o, _)| o != at && doc.word(o).ends_with("ed"));
                if background_at(doc, clause, at) || recalled {
                    continue;
                }
                // What is proposed: the topic named next.
                let about = s
                    .hits
                    .iter()
                    .filter(|h| in_range(h, clause) && h.start > at)
                    .find_map(|h| match h.entry {
                        Entry::About(a) => Some(a),
                        _ => None,
                    });
                if let Some(about) = about.filter(|a| *a != About::Other) {
                    push(
                        &mut out,
                        doc,
                        clause,
                        author,
                        Act::Propose,
                        about,
                        None,
                        day,
                    );
                }
            }
            if acts.is_empty()
                && let Some((who, about, target)) = attack_claim(doc, lex, s, clause, &mem, truce)
            {
                push(
                    &mut out,
                    doc,
                    clause,
                    &who,
                    Act::Accuse,
                    about,
                    Some(target),
                    day,
                );
                mem.last = out.last().cloned();
                mem.last_sn = Some(sn);
                mem.last_speaker = Some((sn, who));
                remember_person(&mut mem, &actors);
                continue;
            }
            if acts.is_empty() {
                // "Russia has not." after an acceptance: a refusal of the same thing.
                if clause.len() <= 5
                    && let Some(who) = actors.first()
                    && who.kind != ActorKind::Demonym
                    && (clause.end.saturating_sub(2)..clause.end).any(|i| {
                        matches!(
                            doc.word(i),
                            "not" | "didn't" | "hasn't" | "won't" | "refused"
                        ) || doc.word(i).ends_with("n't")
                    })
                    && !matches!(
                        doc.word(clause.end - 1),
                        "consulted" | "invited" | "informed" | "told" | "asked"
                    )
                    && let Some(prev) = &mem.last
                    && matches!(
                        prev.act,
                        Act::Accept | Act::AcceptConditionally | Act::Commit
                    )
                    && prev.party != who.party
                {
                    let about = prev.about;
                    push(&mut out, doc, clause, who, Act::Reject, about, None, day);
                    mem.last = out.last().cloned();
                }
                remember_person(&mut mem, &actors);
                continue;
            }
            // The act: a denial or a conditional acceptance outweighs the other cues; else the
            // first cue of the clause.
            // A hypothetical cue ("If Russia refuses, ...") leaves the clause's other cues.
            let open: Vec<(usize, Act)> = acts
                .iter()
                .copied()
                .filter(|&(at, a)| {
                    !hedged(doc, clause, at) || a == Act::Demand && obligation(doc, at)
                })
                .filter(|&(at, a)| author_of(at, a).is_none())
                // "European leaders agreed that it was not the time to ...": what they said.
                .filter(|&(at, a)| {
                    !(a == Act::Accept && doc.word(at) == "agreed" && doc.word(at + 1) == "that")
                })
                // "responded positively to this initiative and gave the command": a proposal
                // named as an object leaves the act to the clause's other cues.
                .filter(|&(at, a)| {
                    !(a == Act::Propose
                        && acts.len() > 1
                        && matches!(doc.word(at), "proposal" | "offer" | "initiative" | "plan")
                        && at > clause.start
                        && matches!(
                            doc.word(at - 1),
                            "this" | "that" | "the" | "its" | "his" | "her" | "their"
                        ))
                })
                .collect();
            let (act_at, mut act) = if let Some(&d) = open.iter().find(|(_, a)| *a == Act::Deny) {
                d
            } else if let Some(r) = relief_demand.filter(|r| open.contains(&(*r, Act::Demand))) {
                (r, Act::Demand)
            } else if let Some(&c) = open.iter().find(|(_, a)| *a == Act::AcceptConditionally) {
                c
            } else if let Some(&f) = open.first() {
                f
            } else {
                remember_person(&mut mem, &actors);
                continue;
            };
            // "remained ready for a ceasefire", "remains committed to an unconditional
            // ceasefire": a standing offer, not a promised deed.
            if act == Act::Commit
                && let Some(end) = cue_end(s, act_at, act)
                && (act_at..end).any(|i| matches!(doc.word(i), "ready" | "committed"))
                && (matches!(doc.word(end), "a" | "an")
                    || matches!(doc.word(end), "for" | "to")
                        && matches!(doc.word(end + 1), "a" | "an"))
            {
                act = Act::Propose;
            }
            // Readiness for a truce someone else put forward ("ready for such a ceasefire")
            // accepts it; readiness for one described afresh ("ready for a truce in the air")
            // proposes it.
            if matches!(act, Act::Accept | Act::Propose)
                && let Some(end) = cue_end(s, act_at, act)
                && (act_at..end).any(|i| matches!(doc.word(i), "ready" | "readiness" | "prepared"))
            {
                let mut k = end;
                if matches!(doc.word(k), "support" | "back" | "observe") {
                    k += 1;
                }
                // "ready to agree to a ceasefire": what is agreed to decides.
                // ("ready to agree to a US proposal" accepts it).
                if doc.word(k) == "agree" && doc.word(k + 1) == "to" {
                    let named = (k + 2..(k + 6).min(s.words.end)).any(|i| {
                        matches!(doc.word(i), "proposal" | "offer" | "plan" | "initiative")
                    });
                    k = if named { k + 3 } else { k + 2 };
                }
                match doc.word(k) {
                    // "ready to refrain from strikes ... if Russia does the same": an offer.
                    "refrain" | "stop" | "halt" | "cease" | "suspend" => act = Act::Propose,
                    // "ready to resume direct talks": an offer.
                    "resume" | "start" | "begin" | "hold" | "host" => act = Act::Propose,
                    // "prepared to work with Ukraine on a memorandum": an offer of joint work.
                    "work" | "negotiate" | "meet" | "discuss" | "draft" => act = Act::Propose,
                    // "ready to continue contacts": a commitment to keep doing it.
                    "continue" | "keep" => act = Act::Commit,
                    // "prepared to tighten sanctions", "ready to provide air defence": a deed of
                    // its own promised, not someone's proposal accepted.
                    "impose" | "tighten" | "adopt" | "increase" | "step" | "provide" | "supply"
                    | "send" | "deliver" | "contribute" | "deploy" => act = Act::Commit,
                    "such" | "the" | "this" | "that" | "it" | "these" => act = Act::Accept,
                    "a" | "an" | "any" => act = Act::Propose,
                    _ => {}
                }
            }
            // "we certainly support it, but there are issues": an acceptance with reservations.
            if act == Act::Accept
                && (act_at..clause.end.saturating_sub(1)).any(|i| {
                    doc.gap(i).contains(',')
                        && doc.word(i + 1) == "but"
                        && matches!(
                            doc.word(i + 2),
                            "there" | "that" | "only" | "with" | "many" | "some" | "it" | "not"
                        )
                })
                // "..., but that many points still had to be discussed": the next clause.
                || act == Act::Accept
                    && clause.end < s.words.end
                    && doc.word(clause.end) == "but"
                    && doc.word(clause.end + 1) == "that"
                    && doc.gap(clause.end - 1).contains(',')
            {
                act = Act::AcceptConditionally;
            }
            // "would support a halt but wants to see the details first", "in favour of stopping
            // the fighting, provided the pause ...": a reservation in the same clause.
            if act == Act::Accept
                && (act_at..clause.end.saturating_sub(1)).any(|i| {
                    doc.word(i) == "but"
                        && matches!(
                            doc.word(i + 1),
                            "wants"
                                | "wanted"
                                | "insisted"
                                | "insists"
                                | "warned"
                                | "warns"
                                | "demanded"
                                | "demands"
                                | "stressed"
                                | "stresses"
                                | "added"
                                | "only"
                        )
                        || doc.word(i) == "provided" && i > 0 && doc.gap(i - 1).contains(',')
                })
            {
                act = Act::AcceptConditionally;
            }
            // "backed the idea and immediately gave the army the order", "agreed to exchange 1,000
            // prisoners": a deed promised, not only a proposal accepted.
            if act == Act::Accept
                && ((act_at..clause.end).any(|i| {
                    matches!(doc.word(i), "ordered" | "instructed")
                        || matches!(doc.word(i), "gave" | "issued" | "giving")
                            && (i + 1..(i + 5).min(clause.end))
                                .any(|k| matches!(doc.word(k), "order" | "command"))
                }) || doc.word(act_at) == "agreed"
                    && doc.word(act_at + 1) == "to"
                    && matches!(
                        doc.word(act_at + 2),
                        "exchange" | "swap" | "release" | "hold" | "meet" | "continue" | "return"
                    ))
            {
                act = Act::Commit;
            }
            // "We agree with the proposals. But we proceed from ...": the reservation follows.
            if act == Act::Accept && clause.end == s.words.end && but_follows(doc, sn) {
                act = Act::AcceptConditionally;
            }
            // "dismissed the claim as propaganda", "dismissed them as fabrications": refusing a
            // claim denies it.
            if act == Act::Reject && !negated(doc, clause, act_at) {
                let end = act_cue_end(s, act_at);
                let near = end..(end + 6).min(clause.end);
                let claim = near.clone().take(3).any(|i| {
                    matches!(
                        doc.word(i),
                        "claim"
                            | "claims"
                            | "accusation"
                            | "accusations"
                            | "allegation"
                            | "allegations"
                            | "charge"
                            | "charges"
                            | "figures"
                            | "reports"
                    )
                }) || near.clone().any(|i| {
                    doc.word(i) == "as"
                        && (i + 1..(i + 4).min(clause.end)).any(|k| {
                            matches!(
                                doc.word(k),
                                "fabrication"
                                    | "fabrications"
                                    | "propaganda"
                                    | "lie"
                                    | "lies"
                                    | "fake"
                                    | "false"
                                    | "baseless"
                                    | "groundless"
                                    | "nonsense"
                                    | "invention"
                                    | "fiction"
                                    | "fantasy"
                                    | "disinformation"
                                    | "staged"
                            )
                        })
                });
                if claim {
                    act = Act::Deny;
                }
            }
            let relief_act = act == Act::Demand && relief_demand == Some(act_at);
            // "did not reject the arrangement": what is not refused follows the cue.
            let unrefused = act == Act::Reject;
            if !relief_act && negated(doc, clause, act_at) {
                match act {
                    Act::Accept | Act::AcceptConditionally | Act::Propose => act = Act::Reject,
                    // "did not reject the arrangement, but said ...", "does not rule out a deal":
                    // refusing to refuse leaves the door open on terms.
                    Act::Reject if !matches!(doc.word(act_at), "won't" | "unacceptable") => {
                        act = Act::AcceptConditionally
                    }
                    Act::Reject | Act::Deny => {}
                    // "We are not stalling", "we have not violated anything": a side denying
                    // what it is charged with.
                    Act::Accuse
                        if (clause.start..act_at).any(|i| matches!(doc.word(i), "we" | "i"))
                            && !matches!(
                                doc.word(act_at),
                                "accused" | "accuse" | "accuses" | "blamed" | "blame" | "blames"
                            ) =>
                    {
                        act = Act::Deny
                    }
                    _ => {
                        remember_person(&mut mem, &actors);
                        continue;
                    }
                }
            }
            // "it keeps bombing our cities, which shows that Moscow ...": an accusation of
            // attacks going on (no cue of its own) is made by the sayer, not by an actor after it.
            let persist_act = act == Act::Accuse
                && !s
                    .hits
                    .iter()
                    .any(|h| h.start == act_at && h.entry == Entry::Act(Act::Accuse));
            // The speaker: the first actor before the act that is not the object of a
            // preposition, else a pronoun's antecedent, else the speaker of a verb of saying in
            // the sentence ("..., Zelensky said"), else an actor after the act.
            let is_subject = |w: &&Who| {
                // "the representative of the United Kingdom said": the body a delegate speaks
                // for.
                let delegate = delegate_of(doc, w.at, clause.start);
                // "a lasting peace between Ukraine and the Russian Federation": the parties a text
                // is about, not speakers.
                let between = w.at >= clause.start + 2
                    && doc.word(w.at - 1) == "the"
                    && matches!(doc.word(w.at - 2), "between" | "among");
                if between {
                    return false;
                }
                delegate
                    || ((w.kind != ActorKind::Demonym && !w.possessive
                        || w.possessive && w.at < act_at && act_at <= w.at + 4
                        || w.kind == ActorKind::Demonym && w.at < act_at && act_at <= w.at + 2)
                        && !(w.at > clause.start
                            && matches!(
                                doc.word(w.at - 1),
                                "to" | "with"
                                    | "on"
                                    | "from"
                                    | "of"
                                    | "against"
                                    | "by"
                                    | "for"
                                    | "at"
                                    | "in"
                                    | "over"
                                    | "about"
                                    | "between"
                                    | "among"
                            )))
            };
            let pronoun_first = (clause.start..act_at)
                .find(|&i| matches!(doc.word(i), "he" | "she" | "his" | "her"))
                .is_some_and(|p| !actors.iter().any(|w| w.at < p && is_subject(&w)));
            // "Its spokesman said", "A spokesman said", "The ministry said": the body named last.
            // "The minister said ...", "the French president added ...": the person named last,
            // unless the title's own qualifier names another side.
            let by_person = person_title(doc, clause.start..act_at)
                .filter(|_| {
                    !actors
                        .iter()
                        .any(|w| w.at < act_at && w.kind != ActorKind::Demonym)
                        && !in_quotes(doc, s, act_at)
                })
                .and_then(|title| {
                    let qualifier = actors.iter().find(|w| {
                        w.kind == ActorKind::Demonym && w.at < title && w.at + 3 >= title
                    });
                    match (mem.pronoun(), qualifier) {
                        (Some(p), Some(q)) if p.party != q.party => Some(q.clone()),
                        (Some(p), _) => Some(p),
                        (None, q) => q.cloned(),
                    }
                });
            let by_title = titled(doc, clause.start..act_at)
                && !actors
                    .iter()
                    .any(|w| w.at < act_at && w.kind != ActorKind::Demonym)
                && !in_quotes(doc, s, act_at);
            // "We", "I": the document's own voice (a statement, a readout).
            // "unacceptable to us" (lower case: not "the US").
            let first_person = ((act_at..clause.end)
                .any(|i| i > 0 && doc.orig(i) == "us" && matches!(doc.word(i - 1), "to" | "for"))
                || (clause.start..act_at).any(|i| {
                    matches!(doc.word(i), "we" | "i" | "our" | "my" | "me") || doc.orig(i) == "us"
                }))
                && (!actors.iter().any(|w| w.at < act_at && is_subject(&w))
                    // "Should Russia refuse, we stand ready to ...": the subject right before
                    // the act speaks, not the one of a condition before it.
                    || act_at > clause.start && matches!(doc.word(act_at - 1), "we" | "i"));
            // Inside a quotation the speaker is whoever the sentence quotes.
            // "dismissed them as "fabrications"", "called the report "a staged fake"": a few
            // quoted words inside the sentence's own clause are its words, not a quotation.
            let quoted = in_quotes(doc, s, act_at) && !scare_quote(doc, s, act_at);
            // "..., which Ukraine accepted": the subject of a relative clause.
            let relative = actors
                .iter()
                .find(|w| {
                    w.at > clause.start
                        && matches!(doc.word(w.at - 1), "which" | "that" | "who")
                        && speaker_end(s, w) <= act_at
                        && act_at <= speaker_end(s, w) + 1
                        && !w.possessive
                })
                .cloned();
            // "The energy truce that Trump and Putin agreed on 18 March ended": a relative clause
            // describing a topic recalls a position; it takes none.
            let described = actors.iter().any(|w| {
                w.at >= 2
                    && w.at < act_at
                    && matches!(doc.word(w.at - 1), "that" | "which")
                    && !(w.at..act_at).any(|k| doc.gap(k).contains(','))
                    && (s
                        .hits
                        .iter()
                        .any(|h| matches!(h.entry, Entry::About(_)) && h.end == w.at - 1)
                        || matches!(
                            doc.word(w.at - 2),
                            "pause"
                                | "deal"
                                | "plan"
                                | "arrangement"
                                | "arrangements"
                                | "agreement"
                                | "proposal"
                                | "offer"
                        ))
            });
            if described {
                remember_person(&mut mem, &actors);
                continue;
            }
            // "..., and that Russia's truce could not replace it": a further clause of what the
            // sentence's subject said.
            let continued = clause.start > s.words.start
                && matches!(doc.word(clause.start), "and" | "but")
                && (doc.word(clause.start + 1) == "that"
                    || s.hits.iter().any(|h| {
                        h.start == clause.start + 1
                            && (h.entry == Entry::Cue(Cue::Report)
                                || matches!(h.entry, Entry::Act(_)))
                    }));
            let sentence_subject = if continued {
                actors_in(lex, s, &(s.words.start..clause.start))
                    .into_iter()
                    .find(|w| {
                        !w.possessive
                            && w.kind != ActorKind::Demonym
                            && !(w.at > s.words.start
                                && matches!(
                                    doc.word(w.at - 1),
                                    "to" | "with" | "on" | "from" | "of" | "by" | "for"
                                ))
                    })
            } else {
                None
            };
            // A quotation whose speaker the sentence names but the lexicon does not know ("...,"
            // said a researcher at a Kyiv think tank): a commentator's words, not a side's.
            let all_actors = actors_in(lex, s, &s.words);
            let reports: Vec<&Hit> = s
                .hits
                .iter()
                .filter(|h| h.entry == Entry::Cue(Cue::Report) && !in_lead_quote(doc, s, h.start))
                .collect();
            // '"...," said an analyst at a Kyiv think tank': the sayer is no side's voice.
            let named_sayer = reports.iter().any(|r| {
                all_actors.iter().any(|w| {
                    (w.kind != ActorKind::Demonym || w.possessive)
                        && !in_lead_quote(doc, s, w.at)
                        && (w.at < r.start && w.at + 6 >= r.start
                            || w.at >= r.end && w.at <= r.end + 2)
                        && !commentator(doc, s, w)
                })
            });
            let quoted_unknown = (quoted
                || in_lead_quote(doc, s, act_at) && !scare_quote(doc, s, act_at))
                && !named_sayer
                && closer.is_none()
                && turn.is_none()
                && !pronoun_reporter(doc, s)
                && (!reports.is_empty()
                    || s.words
                        .clone()
                        .any(|i| doc.word(i) == "put" && doc.word(i + 1) == "it"));
            if quoted_unknown {
                remember_person(&mut mem, &actors);
                continue;
            }
            // "Both sides confirmed ...", "The two sides agreed ...": a joint position.
            let both = (clause.start..(clause.start + 3).min(act_at)).any(|i| {
                matches!(doc.word(i), "both" | "two")
                    && matches!(doc.word(i + 1), "sides" | "parties")
            }) && !actors.iter().any(|w| w.at < act_at);
            let speaker = if both {
                Some(Who {
                    name: "both sides".to_string(),
                    party: Party::Other,
                    at: clause.start,
                    kind: ActorKind::State,
                    possessive: false,
                })
            } else if relative.is_some() {
                relative
            } else if by_person.is_some() {
                by_person
            } else if pronoun_first {
                mem.pronoun()
            } else if by_title
                // "It says technical negotiations ... will start": the body named before.
                || doc.word(clause.start) == "it"
                    && s.hits.iter().any(|h| {
                        h.start == clause.start + 1 && h.entry == Entry::Cue(Cue::Report)
                    })
                    && !actors.iter().any(|w| w.at < act_at)
            {
                mem.last_body
                    .clone()
                    .or_else(|| mem.last_speaker.clone().map(|(_, w)| w))
            } else {
                None
            }
            .or_else(|| {
                if first_person {
                    // '"We are ready," Peskov said': the quoted speaker; in a transcript, whoever
                    // holds the floor; else the text's own voice.
                    (if quoted {
                        sentence_speaker(doc, lex, s)
                    } else {
                        None
                    })
                    .or_else(|| closer.clone())
                    .or_else(|| turn.clone())
                    .or_else(|| voice.clone())
                } else {
                    None
                }
            })
            .or_else(|| {
                // Inside a quotation: whoever the sentence quotes.
                if quoted {
                    sentence_speaker(doc, lex, s)
                } else {
                    // "Washington would have to lift ..., Peskov told reporters": an obligation
                    // put on someone is the quoted speaker's demand.
                    tail_speaker(lex, s).filter(|w| {
                        w.at > act_at
                            && (act == Act::Demand || !clause.contains(&w.at))
                            // "The Kremlin ordered a pause; Kyiv said it would ...": a sayer
                            // past a semicolon says the next clause only.
                            && !(act_at..w.at).any(|k| doc.gap(k).contains(';'))
                    })
                }
            })
            .or_else(|| {
                actors
                    .iter()
                    .find(|w| w.at < act_at && is_subject(w))
                    .cloned()
            })
            .or_else(|| sentence_speaker(doc, lex, s))
            // "Any truce would have to be monitored, he added": the person named before.
            .or_else(|| {
                if pronoun_reporter(doc, s) {
                    mem.pronoun()
                } else {
                    None
                }
            })
            .or_else(|| {
                actors
                    .iter()
                    .find(|w| w.at > act_at && is_subject(w) && !persist_act)
                    .cloned()
            })
            .or_else(|| actors.iter().find(|w| w.at < act_at).cloned())
            // A quotation closed in the next sentence, or a transcript's turn.
            .or_else(|| closer.clone())
            .or_else(|| turn.clone())
            // "It is now for Russia to show ...", "It was stressed that the key condition ...":
            // an obligation or a condition stated in a text's own voice.
            .or_else(|| {
                if act == Act::Demand
                    && (obligation(doc, act_at) || !actors.iter().any(|w| w.at < act_at))
                {
                    voice.clone()
                } else {
                    None
                }
            });
            let speaker = match (speaker, sentence_subject) {
                (Some(w), Some(v))
                    if w.possessive
                        || w.kind == ActorKind::Demonym
                        || !actors.iter().any(|a| a.at == w.at) =>
                {
                    Some(v)
                }
                (Some(w), Some(v))
                    if w.at > act_at
                        || w.at > clause.start
                            && matches!(
                                doc.word(w.at - 1),
                                "to" | "with" | "on" | "from" | "of" | "by" | "for"
                            ) =>
                {
                    Some(v)
                }
                (None, v) => v,
                (w, _) => w,
            };
            let Some(mut speaker) = speaker
                .filter(|w| w.name != "Monitors" || first_person)
                .filter(|w| !commentator(doc, s, w))
            else {
                remember_person(&mut mem, &actors);
                continue;
            };
            // "most Ukrainians reject ...", "64% of Ukrainians": a population, not a side's
            // voice.
            let polled = (clause.start..act_at).any(|i| {
                doc.word(i) == "of"
                    && (doc.gap(i.saturating_sub(1)).contains('%') || doc.word(i - 1) == "cent")
            });
            if polled || speaker.kind == ActorKind::Demonym && doc.word(speaker.at).ends_with("ans")
            {
                remember_person(&mut mem, &actors);
                continue;
            }
            // Armed forces take no positions: an accusation of violations in a bulletin is the
            // bulletin's, aimed at those forces. Likewise a described behaviour ("Russia keeps
            // hitting our energy despite the moratorium") accuses its subject; the accuser is
            // whoever says so.
            let mut forced_target = None;
            let verbal = matches!(
                doc.word(act_at),
                "accused"
                    | "accuses"
                    | "accuse"
                    | "accusing"
                    | "accusation"
                    | "accusations"
                    | "blamed"
                    | "blames"
                    | "blame"
            );
            // "Ukraine's commander-in-chief said Russian units had kept shelling": the speaker
            // found is the sayer itself; no one else accuses.
            if act == Act::Accuse
                && !verbal
                && speaker.kind != ActorKind::Forces
                && matches!(speaker.party, Party::Ru | Party::Ua)
                && speaker.at < act_at
                && let Some(v) = speaker_before(lex, s, act_at)
                    .or_else(|| sentence_speaker(doc, lex, s))
                    .map(|v| (v.at != speaker.at).then_some(v))
                    .unwrap_or_else(|| {
                        // '"...," he wrote': the person named before.
                        if he_says_after(doc, s, act_at) {
                            mem.last_person.clone()
                        } else {
                            None
                        }
                        .or_else(|| title_who.clone())
                        .or_else(|| turn.clone().or_else(|| voice.clone()))
                    })
                    .filter(|v| v.party != speaker.party)
            {
                forced_target = Some(speaker.party);
                speaker = v;
            }
            // "Putin must sign up to a ceasefire, Starmer said": an obligation put on its
            // grammatical subject is a demand aimed at that subject by whoever says so.
            if act == Act::Demand
                && obligation(doc, act_at)
                && forced_target.is_none()
                && speaker.at < act_at
                && clause.contains(&speaker.at)
                && matches!(speaker.party, Party::Ru | Party::Ua | Party::Us)
                && let Some(v) = speaker_before(lex, s, act_at)
                    .or_else(|| tail_speaker(lex, s))
                    .or_else(|| sentence_speaker(doc, lex, s))
                    .filter(|v| v.at != speaker.at)
                    .or_else(|| {
                        if he_says_after(doc, s, s.words.start) {
                            mem.last_person.clone()
                        } else {
                            None
                        }
                    })
                    .or_else(|| title_who.clone())
                    .or_else(|| turn.clone().or_else(|| voice.clone()))
                    .filter(|v| v.party != speaker.party)
            {
                // The obligation's own subject, right before it ("after meeting Trump, Starmer
                // said Putin had to agree": Putin, not Trump).
                let subject = actors
                    .iter()
                    .rfind(|w| w.at < act_at && w.at + 4 >= act_at && !w.possessive)
                    .map(|w| w.party)
                    .filter(|p| *p != v.party);
                forced_target = Some(subject.unwrap_or(speaker.party));
                speaker = v;
            }
            // "said Ukrainian forces had not carried out any strike": the side denies.
            if speaker.kind == ActorKind::Forces && act == Act::Deny {
                speaker = Who {
                    name: party_name(speaker.party).to_string(),
                    kind: ActorKind::State,
                    ..speaker
                };
            }
            if speaker.kind == ActorKind::Forces {
                if act != Act::Accuse {
                    remember_person(&mut mem, &actors);
                    continue;
                }
                // A bulletin on "the Kiev regime" that names nobody: the other side accuses.
                let other_side = match speaker.party {
                    Party::Ru => Some(Party::Ua),
                    Party::Ua => Some(Party::Ru),
                    _ => None,
                }
                .map(|p| Who {
                    name: party_name(p).to_string(),
                    party: p,
                    at: speaker.at,
                    kind: ActorKind::State,
                    possessive: false,
                });
                let Some(v) = sentence_speaker(doc, lex, s)
                    .or_else(|| turn.clone().or_else(|| voice.clone()))
                    .filter(|v| v.party != speaker.party)
                    // Only when those forces are the ones said to do it ("violations by the Kiev
                    // regime", "the Kiev regime continued its attacks").
                    .or(other_side.filter(|_| {
                        speaker.at < act_at || speaker.at > 0 && doc.word(speaker.at - 1) == "by"
                    }))
                else {
                    remember_person(&mut mem, &actors);
                    continue;
                };
                forced_target = Some(speaker.party);
                speaker = v;
            }
            // "Russia and Ukraine agreed": both sides speak.
            if doc.word(speaker_end(s, &speaker)) == "and"
                && let Some(other) = actors.iter().find(|w| w.at == speaker_end(s, &speaker) + 1)
                && other.party != speaker.party
            {
                speaker = Who {
                    name: format!("{} and {}", speaker.name, other.name),
                    party: Party::Other,
                    ..speaker
                };
            }
            // "the leaders of France, Germany, Poland and the United Kingdom": the last of a
            // list of countries speaks for none of them alone.
            let and_at = (speaker.at.saturating_sub(2)..speaker.at).find(|&i| doc.word(i) == "and");
            if speaker.kind == ActorKind::State
                && let Some(a) = and_at
                && a > s.words.start + 1
                && doc.gap(a - 2).contains(',')
                && doc.orig(a - 1).starts_with(|c: char| c.is_uppercase())
            {
                let mut j = a - 1;
                while j > s.words.start
                    && (doc.gap(j - 1).contains(',') || doc.word(j - 1) == "of")
                    && doc.orig(j - 1).starts_with(|c: char| c.is_uppercase())
                {
                    j -= 1;
                }
                let (from, to) = (
                    doc.span(j..j + 1).start,
                    doc.span(speaker.at..speaker_end(s, &speaker)).end,
                );
                speaker = Who {
                    name: doc.text.get(from..to).unwrap_or("").to_string(),
                    party: Party::Other,
                    ..speaker
                };
            }
            // Background: "the strike came hours after Ukraine agreed".
            let background = background_at(doc, clause, act_at);
            if background {
                remember_person(&mut mem, &actors);
                continue;
            }
            // "did not join it": the object points back to the latest topic.
            let act_end = act_cue_end(s, act_at);
            // A topic named in the sentences just before, after the latest statement ("Is the
            // Ukrainian side observing the energy moratorium?" - "It has been violating it").
            let recent = prev_topic
                .filter(|(k, _)| k + 3 >= sn && mem.last_sn.is_none_or(|l| *k > l))
                .map(|(_, a)| a);
            let back = if matches!(doc.word(act_end), "it" | "this")
                && !matches!(doc.word(act_end + 1), "is" | "was" | "would" | "will")
            {
                recent.or_else(|| {
                    mem.last.as_ref().map(|p| {
                        if rank(p.about) >= 5 {
                            p.about
                        } else {
                            mem.truce.unwrap_or(p.about)
                        }
                    })
                })
            } else {
                None
            };
            // What a deal is accepted on terms of is named before its condition.
            let about_range = match relief {
                Some(r) if r >= act_at && !relief_act => clause.start..r,
                _ => clause.clone(),
            };
            let about = relief_act
                .then_some(About::Sanctions)
                .or(back)
                .or_else(|| {
                    let as_act = if unrefused { Act::Reject } else { act };
                    pick_about(doc, &s.hits, &about_range, as_act, act_at)
                })
                .or_else(|| {
                    // "Russia had never honoured the pause": an accusation without a topic is
                    // about the truce the text is on.
                    let names = |t: truce_model::Target| {
                        s.hits
                            .iter()
                            .any(|h| in_range(h, clause) && h.entry == Entry::Target(t))
                    };
                    if matches!(act, Act::Accuse | Act::Deny)
                        && let Some(t) = mem.truce.or(truce)
                        && !names(truce_model::Target::Energy)
                    {
                        // "accused Russia of a deliberate strike on civilians": the energy
                        // moratorium never covered them.
                        if t == About::EnergyMoratorium && names(truce_model::Target::Civilian) {
                            return Some(About::Other);
                        }
                        return Some(t);
                    }
                    // An answer without a topic answers the latest position ("Kyiv said yes").
                    if anaphora(doc, clause)
                        && let Some(a) = recent
                    {
                        return Some(a);
                    }
                    // "Ukraine was ready to take this step": the step last put forward by another.
                    if clause.clone().any(|i| {
                        matches!(
                            doc.word(i),
                            "step" | "proposal" | "offer" | "idea" | "plan" | "initiative"
                        )
                    }) && matches!(act, Act::Accept | Act::AcceptConditionally | Act::Reject)
                        && let Some(p) = mem.proposal.as_ref().filter(|p| p.party != speaker.party)
                    {
                        return Some(p.about);
                    }
                    if (anaphora(doc, clause)
                        || matches!(act, Act::Accept | Act::Reject)
                            && mem.last.as_ref().is_some_and(|p| p.party != speaker.party))
                        && let Some(prev) = &mem.last
                    {
                        return Some(prev.about);
                    }
                    if act == Act::AcceptConditionally {
                        // "Its spokesman said the deal would come into force only once ...": the
                        // deal just named.
                        if anaphora(doc, &(clause.start..act_at))
                            && let Some(a) = prev_topic.filter(|(k, _)| k + 3 >= sn).map(|(_, a)| a)
                        {
                            return Some(a);
                        }
                        // "... but there were nuances: who would monitor ...": the conditions.
                        return pick_about(doc, &s.hits, clause, Act::Propose, act_at);
                    }
                    // An accusation of strikes on energy sites is about the energy moratorium.
                    let energy = s.hits.iter().any(|h| {
                        in_range(h, clause) && h.entry == Entry::Target(truce_model::Target::Energy)
                    });
                    match act {
                        // "would keep its missiles away from power stations": a restraint
                        // on strikes at energy sites.
                        Act::Accuse | Act::Deny | Act::Commit | Act::Propose if energy => {
                            Some(About::EnergyMoratorium)
                        }
                        Act::Accuse => truce.or(dominant),
                        // "denied any involvement": a denial stands even on no named topic.
                        Act::Deny => truce.or(dominant).or(Some(About::Other)),
                        Act::Condemn => Some(About::Other),
                        // "The ball is in their court", "the onus is on Moscow": the other side
                        // is to answer what was just put to it.
                        Act::Demand
                            if clause
                                .clone()
                                .any(|i| matches!(doc.word(i), "ball" | "onus" | "court")) =>
                        {
                            recent.or(mem.proposal.as_ref().map(|p| p.about))
                        }
                        _ => None,
                    }
                })
                // "... said Moscow would raise the violations with the Americans and demanded
                // that Washington rein in Kyiv": the topic of the sentence's other clauses; else
                // of the sentence just before ("Q: And sanctions?" - "A: We expect ...").
                .or_else(|| {
                    // A proposal names what it proposes; "the ball is in their court" answers
                    // what was put to them (above).
                    if matches!(act, Act::Condemn | Act::Propose | Act::Commit)
                        || clause
                            .clone()
                            .any(|i| matches!(doc.word(i), "ball" | "onus" | "court"))
                    {
                        return None;
                    }
                    s.hits
                        .iter()
                        .filter_map(|h| match h.entry {
                            Entry::About(a) if !in_range(h, clause) && a != About::Other => Some(a),
                            _ => None,
                        })
                        .max_by_key(|a| rank(*a))
                        .or_else(|| {
                            // Across sentences only an answer in a transcript, or a refusal,
                            // denial or acceptance of what was just named.
                            if turn.is_none()
                                && !matches!(
                                    act,
                                    Act::Accept
                                        | Act::AcceptConditionally
                                        | Act::Reject
                                        | Act::Deny
                                )
                            {
                                return None;
                            }
                            prev_topic
                                .filter(|(k, a)| k + 2 >= sn && *a != About::Other)
                                .map(|(_, a)| a)
                        })
                });
            // "the truce was violated": in a text about a named truce, that truce.
            let own = s.hits.iter().find_map(|h| match h.entry {
                Entry::About(a) if rank(a) == 6 && in_range(h, clause) => Some(a),
                _ => None,
            });
            // ("will not agree to a ceasefire that ...": an indefinite one is any ceasefire.)
            let indefinite = s.hits.iter().any(|h| {
                in_range(h, clause)
                    && h.entry == Entry::About(About::GeneralCeasefire)
                    && h.start > act_at
                    && h.start <= act_at + 5
                    && matches!(doc.word(h.start - 1), "a" | "any")
            });
            let about = match (about, own.or(mem.truce).or(truce)) {
                (Some(About::GeneralCeasefire), Some(d))
                    if rank(d) == 6
                        && !indefinite
                        && matches!(act, Act::Accuse | Act::Deny | Act::Condemn | Act::Reject) =>
                {
                    Some(d)
                }
                (a, _) => a,
            };
            // A modal with no cue of its own speaks only of a topic its clause names.
            // "A ceasefire must lead to lasting peace": an obligation put on a topic is about
            // that topic, unless its terms follow ("any ceasefire has to include a halt to ...").
            let about = if obliged.contains(&act_at)
                && !(act_at..clause.end).any(|k| {
                    matches!(
                        doc.word(k),
                        "include" | "includes" | "cover" | "covers" | "require" | "requires"
                    )
                }) {
                s.hits
                    .iter()
                    .find_map(|h| match h.entry {
                        Entry::About(a) if h.end == act_at && h.start >= clause.start => Some(a),
                        _ => None,
                    })
                    .or(about)
            } else {
                about
            };
            // A promised deed names its topic after the modal ("would never cede land").
            let promise = promises.iter().any(|(i, _)| *i == act_at);
            let modal = obliged.contains(&act_at) || promise;
            let about = about.filter(|_| {
                let from = if promise {
                    act_at..clause.end
                } else {
                    clause.clone()
                };
                !modal
                    || pick_about(doc, &s.hits, &from, act, act_at).is_some()
                    || act == Act::Commit
                        && s.hits.iter().any(|h| {
                            in_range(h, &from)
                                && h.entry == Entry::Target(truce_model::Target::Energy)
                        })
            });
            let Some(about) = about else {
                if act == Act::Demand && !modal {
                    mem.pending_demand = Some(speaker.clone());
                }
                remember_person(&mut mem, &actors);
                continue;
            };
            // "proposed extending the Easter truce for 30 days": a holiday truce offered past its
            // holiday is a general ceasefire. (A demand that the holiday truce itself be
            // extended stays on that truce.)
            let about = if matches!(about, About::EasterTruce | About::MayTruce)
                && matches!(act, Act::Propose | Act::Accept | Act::Commit)
                && (act_at..clause.end).any(|k| {
                    let w = doc.word(k);
                    w.starts_with("extend")
                        || w.starts_with("extension")
                        || w.starts_with("prolong")
                }) {
                About::GeneralCeasefire
            } else {
                about
            };
            // "called for more sanctions", "urged allies to send air defence": what only others
            // can give (sanctions, arms) is asked for, not offered.
            if act == Act::Propose && matches!(about, About::Sanctions | About::WeaponsAid) {
                act = Act::Demand;
            }
            // "urged Russia to accept a truce": a proposal put to one side for it to act on is a
            // demand on that side.
            if act == Act::Propose
                && matches!(
                    doc.word(act_at),
                    "urged" | "urges" | "urge" | "urging" | "pressed" | "presses" | "pressing"
                )
                && doc.word(act_cue_end(s, act_at)) != "both"
                && let Some(w) = actors.iter().find(|w| w.at == act_cue_end(s, act_at))
                && w.party != speaker.party
                && doc.word(speaker_end(s, w)) == "to"
            {
                act = Act::Demand;
            }
            // "Putin announced an Easter truce. Peskov said Russia would respect it": keeping to a
            // truce one's own side declared promises it; it accepts no one else's offer.
            if act == Act::Accept
                && rank(about) == 6
                && out
                    .iter()
                    .any(|o| o.party == speaker.party && o.about == about && o.act == Act::Commit)
            {
                act = Act::Commit;
            }
            // "the two sides agreed to a 1,000-for-1,000 prisoner exchange": agreeing to a swap
            // promises a deed.
            if act == Act::Accept
                && about == About::PrisonerExchange
                && doc.word(act_at).starts_with("agree")
            {
                act = Act::Commit;
            }
            let target = match act {
                _ if forced_target.is_some() => forced_target,
                // "Peskov said Ukraine had violated the moratorium": the side said to behave so.
                Act::Accuse if !verbal => actors
                    .iter()
                    .rfind(|w| {
                        w.at < act_at
                            && w.at > speaker.at
                            && w.party != speaker.party
                            && matches!(w.party, Party::Ru | Party::Ua)
                    })
                    .map(|w| w.party)
                    .or_else(|| {
                        actors
                            .iter()
                            .find(|w| {
                                w.at > act_at && w.party != speaker.party && w.party != Party::Other
                            })
                            .map(|w| w.party)
                    }),
                // "Putin must sign up to ...": the obligation's subject.
                Act::Demand if obligation(doc, act_at) => actors
                    .iter()
                    .rfind(|w| {
                        w.at < act_at
                            && w.at + 4 >= act_at
                            && w.party != speaker.party
                            && matches!(w.party, Party::Ru | Party::Ua | Party::Us)
                    })
                    .or_else(|| {
                        actors.iter().find(|w| {
                            w.at > act_at && w.party != speaker.party && w.party != Party::Other
                        })
                    })
                    .map(|w| w.party),
                Act::Demand | Act::Accuse | Act::Condemn | Act::Deny => actors
                    .iter()
                    .find(|w| w.at > act_at && w.party != speaker.party && w.party != Party::Other)
                    .map(|w| w.party)
                    .or(if act == Act::Condemn {
                        attacker.filter(|p| *p != speaker.party)
                    } else {
                        None
                    }),
                _ => None,
            };
            // "Zelensky said he was ready for direct talks" after Moscow offered them: readiness
            // for what the other side put forward accepts it.
            if act == Act::Propose
                && let cue_to = act_cue_end(s, act_at)
                && (act_at..cue_to)
                    .any(|i| matches!(doc.word(i), "ready" | "readiness" | "prepared" | "willing"))
                // "ready for an unconditional ceasefire": one described afresh is its own offer.
                && !matches!(doc.word(cue_to), "a" | "an")
                && mem
                    .proposal
                    .as_ref()
                    .is_some_and(|p| p.party != speaker.party && p.about == about)
            {
                act = Act::Accept;
            }
            push(&mut out, doc, clause, &speaker, act, about, target, day);
            // "... would continue to refrain from strikes, despite numerous violations by the
            // Kiev regime": a commitment kept in spite of the other side is also an accusation.
            if act != Act::Accuse
                && let Some(&(at, _)) = acts.iter().find(|&&(at, a)| {
                    a == Act::Accuse
                        && at > act_at
                        && (at.saturating_sub(3)..=at).any(|i| doc.word(i) == "despite")
                })
            {
                let accused = actors
                    .iter()
                    .find(|w| {
                        w.at > at
                            && w.party != speaker.party
                            && matches!(w.party, Party::Ru | Party::Ua)
                    })
                    .map(|w| w.party)
                    .or(attacker.filter(|p| *p != speaker.party));
                let topic = if rank(about) >= 5 {
                    about
                } else {
                    mem.truce.or(truce).unwrap_or(about)
                };
                push(
                    &mut out,
                    doc,
                    clause,
                    &speaker,
                    Act::Accuse,
                    topic,
                    accused,
                    day,
                );
            }
            // "a halt to strikes on energy ..., and a ceasefire on the Black Sea": one position
            // per topic a proposal, commitment or demand lists.
            if matches!(act, Act::Propose | Act::Commit | Act::Demand) {
                let mut extra: Vec<About> = Vec::new();
                for h in s
                    .hits
                    .iter()
                    .filter(|h| in_range(h, clause) && h.start > act_at)
                {
                    // "a truce in the air and at sea": two topics joined head to head.
                    let joined = h.start > 0
                        && doc.word(h.start - 1) == "and"
                        && s.hits.iter().any(|o| {
                            o.end + 1 == h.start
                                && o.start > act_at
                                && matches!(o.entry, Entry::About(_))
                        })
                        || doc.word(h.end) == "and"
                            && s.hits.iter().any(|o| {
                                o.start == h.end + 1 && matches!(o.entry, Entry::About(_))
                            });
                    if let Entry::About(a) = h.entry
                        && a != about
                        && (rank(a) >= 4 || joined)
                        && a != About::GeneralCeasefire
                        && !extra.contains(&a)
                        && doc.gap(h.start.saturating_sub(1)).trim().is_empty()
                        && (joined
                            || (h.start.saturating_sub(4)..h.start).any(|i| {
                                doc.word(i) == "and" && doc.gap(i.saturating_sub(1)).contains(',')
                            }))
                    {
                        extra.push(a);
                    }
                }
                for a in extra {
                    push(&mut out, doc, clause, &speaker, act, a, target, day);
                }
            }
            mem.last = out.last().cloned();
            mem.last_sn = Some(sn);
            mem.last_speaker = Some((sn, speaker.clone()));
            if let Some(l) = out.last()
                && matches!(l.act, Act::Propose | Act::Demand)
            {
                mem.proposal = Some(l.clone());
            }
            if let Some(l) = &mem.last
                && rank(l.about) == 6
            {
                mem.truce = Some(l.about);
            }
            remember_person(&mut mem, &actors);
        }
    }
    dedup(out)
}

/// "A spokesman said Russian forces had carried out more than 60 strikes on energy targets
/// since the moratorium began": one side saying the other attacked while a truce it names held
/// (or "kept"/"continued" attacking, in a text about a truce) accuses it of breaking the truce.
fn attack_claim(
    doc: &Doc,
    lex: &Lexicon,
    s: &Sent,
    clause: &Range<usize>,
    mem: &Memory,
    truce: Option<About>,
) -> Option<(Who, About, Party)> {
    let report = s
        .hits
        .iter()
        .filter(|h| h.entry == Entry::Cue(Cue::Report) && h.start < clause.end)
        .find(|h| !in_quotes(doc, s, h.start))?;
    let actors = actors_in(lex, s, &s.words);
    // The sayer: named just before the verb of saying, else the body a title stands for.
    let who = actors
        .iter()
        .filter(|w| w.kind != ActorKind::Forces && w.at < report.start && w.at + 4 >= report.start)
        .max_by_key(|w| w.at)
        .cloned()
        .or_else(|| {
            if titled(doc, s.words.start..report.start) {
                mem.last_body.clone()
            } else {
                None
            }
        })?;
    if !matches!(who.party, Party::Ru | Party::Ua) {
        return None;
    }
    // The attacker: the other side, named after the verb of saying, before the attack word.
    let attack = s
        .hits
        .iter()
        .find(|h| h.start > report.end && in_range(h, clause) && h.entry == Entry::Cue(Cue::Attack))
        .map(|h| h.start..h.end)
        .or_else(|| {
            (report.end..clause.end.saturating_sub(1))
                .find(|&i| doc.word(i) == "opened" && doc.word(i + 1) == "fire")
                .map(|i| i..i + 2)
        })?;
    let other = actors.iter().find(|w| {
        w.at >= report.end
            && w.at < attack.start
            && w.party != who.party
            && matches!(w.party, Party::Ru | Party::Ua)
    })?;
    let truce_word = |i: usize| {
        matches!(
            doc.word(i),
            "moratorium" | "truce" | "ceasefire" | "pause" | "agreement" | "deal"
        )
    };
    let named = s.words.clone().any(truce_word);
    let persists = (report.end..attack.end)
        .any(|i| matches!(doc.word(i), "kept" | "continued" | "still" | "again"));
    if !named && !(persists && (mem.truce.is_some() || truce.is_some())) {
        return None;
    }
    let about = s
        .hits
        .iter()
        .filter_map(|h| match h.entry {
            Entry::About(a) if rank(a) >= 5 => Some(a),
            _ => None,
        })
        .max_by_key(|a| rank(*a))
        .filter(|a| rank(*a) == 6)
        .or(mem.truce)
        .or(truce)
        .or(Some(About::GeneralCeasefire))?;
    Some((who, about, other.party))
}

/// A sentence's clauses, split further where ", and"/", but" brings a new speaker or a new
/// act ("Washington proposed a ceasefire, and Kyiv said yes"; "..., and then accused Russia").
fn statement_clauses(doc: &Doc, lex: &Lexicon, s: &Sent) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for c in &s.clauses {
        let mut start = c.start;
        // "While Ukraine accepted ..., Russia continues to ...": a leading subordinate clause
        // ends at its first comma.
        if matches!(
            doc.word(c.start),
            "while" | "although" | "though" | "whereas" | "if" | "unless"
        ) && let Some(i) = (c.start..c.end.saturating_sub(2)).find(|&i| doc.gap(i).contains(','))
        {
            out.push(c.start..i + 1);
            start = i + 1;
        }
        let from = start;
        for i in from..c.end {
            // "... extending the pause: Ukraine is ready to ..."
            // "... said Russia was playing games and that Putin must ...": a second reported
            // clause.
            // "... called the attacks terrorist and said Russia would ...": a second verb of
            // saying or a second act with the same subject.
            // (Read only when the word is "and"/"but": most words are not.)
            let second_verb = || {
                s.hits.iter().any(|h| {
                    h.start == i + 1
                        && (h.entry == Entry::Cue(Cue::Report)
                            || matches!(h.entry, Entry::Act(_))
                                && (doc.word(i + 1).ends_with("ed") || doc.word(i + 1) == "said"))
                })
            };
            if i + 2 < c.end
                && i > start
                && doc.is(i, List::Conjunction)
                && (doc.word(i + 1) == "that" || second_verb())
            {
                out.push(start..i);
                start = i;
                continue;
            }
            let colon = i + 1 < c.end && doc.gap_has(i, ':');
            if !colon
                && (i + 2 >= c.end || !doc.gap_has(i, ',') || !doc.is(i + 1, List::Conjunction))
            {
                continue;
            }
            let k = if colon {
                i + 1
            } else if doc.word(i + 2) == "then" {
                i + 3
            } else {
                i + 2
            };
            let new_subject = s.hits.iter().any(|h| {
                h.start == k
                    && !h.possessive
                    && actor_of(lex, h).is_some_and(|(_, kind, _)| kind != ActorKind::Demonym)
            });
            let new_act = s
                .hits
                .iter()
                .any(|h| h.start == k && matches!(h.entry, Entry::Act(_)));
            if (new_subject || new_act) && i + 1 > start {
                out.push(start..i + 1);
                start = i + 1;
            }
        }
        if start < c.end {
            out.push(start..c.end);
        }
    }
    out
}

/// The word after a speaker's name.
fn speaker_end(s: &Sent, w: &Who) -> usize {
    s.hits
        .iter()
        .filter(|h| h.start == w.at && matches!(h.entry, Entry::Actor(_)))
        .map(|h| h.end)
        .max()
        .unwrap_or(w.at + 1)
}

/// Whether word `at` stands inside quotation marks in its sentence.
fn in_quotes(doc: &Doc, s: &Sent, at: usize) -> bool {
    let (Some(a), Some(b)) = (doc.toks.get(s.words.start), doc.toks.get(at)) else {
        return false;
    };
    let before = doc.text.get(a.start..b.start).unwrap_or("");
    let (straight, open, close) = quote_marks(before);
    straight % 2 == 1 || open > close
}

/// Whether word `at` stands in a short quotation (five words at most) opened after the
/// sentence's first word: a phrase quoted inside the sentence ("called it "a staged fake"").
fn scare_quote(doc: &Doc, s: &Sent, at: usize) -> bool {
    if !in_quotes(doc, s, at) {
        return false;
    }
    let mut from = at;
    while from > s.words.start && in_quotes(doc, s, from - 1) {
        from -= 1;
    }
    let mut to = at + 1;
    while to < s.words.end && in_quotes(doc, s, to) {
        to += 1;
    }
    // (The first word after the closing mark counts as quoted when the mark is in its gap.)
    from > s.words.start + 1 && to - from <= 5
}

/// Whether word `at` stands inside a quotation, counting a mark opened in the gap before its
/// sentence ('"Moscow will reject ...," said an analyst').
fn in_lead_quote(doc: &Doc, s: &Sent, at: usize) -> bool {
    // (Before a text's first word the lead is the text's own start.)
    let lead = if s.words.start > 0 {
        doc.gap(s.words.start - 1)
    } else {
        doc.toks
            .first()
            .and_then(|t| doc.text.get(..t.start))
            .unwrap_or("")
    };
    let (Some(a), Some(b)) = (doc.toks.get(s.words.start), doc.toks.get(at)) else {
        return false;
    };
    let before = doc.text.get(a.start..b.start).unwrap_or("");
    let (straight, open, close) = quote_marks(before);
    let straight = straight + usize::from(lead.ends_with('"'));
    let open = open + usize::from(lead.ends_with('“') || lead.ends_with('«'));
    straight % 2 == 1 || open > close
}

/// The document's own voice for "we": the actor heading it.
fn doc_voice(doc: &Doc, lex: &Lexicon) -> Option<Who> {
    // A person or institution heading the text; else a state ("Brussels, 10 May").
    let heads: Vec<Who> = doc
        .sents
        .iter()
        .take(2)
        .filter(|s| s.words.len() <= 24)
        .flat_map(|s| {
            // "Briefing by the spokesperson of the Ministry of Foreign Affairs of Ukraine",
            // "Statement by ...": the one the heading names speaks.
            let by = matches!(
                doc.word(s.words.start),
                "briefing" | "statement" | "remarks" | "address" | "comment" | "comments"
            ) && doc.word(s.words.start + 1) == "by";
            actors_in(lex, s, &s.words)
                .into_iter()
                .map(move |w| (by, w))
        })
        // "Telephone conversation with US President Donald Trump": not the one speaking.
        .filter(|(by, w)| {
            let addressed = w.at > 0
                && matches!(
                    doc.word(w.at - 1),
                    "with" | "to" | "from" | "for" | "by" | "of" | "on" | "against"
                )
                && !(*by && matches!(doc.word(w.at - 1), "by" | "of"));
            !w.possessive && !addressed
        })
        .map(|(_, w)| w)
        .collect();
    // "Joint statement by the foreign ministers of ...", "Joint communiqué": the signatories
    // speak together, for no one side.
    let joint = doc.sents.first().is_some_and(|f| {
        (f.words.start..(f.words.start + 3).min(f.words.end))
            .any(|i| matches!(doc.word(i), "joint" | "communique" | "communiqué"))
    });
    if joint {
        let first = doc.sents.first()?;
        return Some(Who {
            name: "signatories of the joint statement".to_string(),
            party: Party::Other,
            at: first.words.start,
            kind: ActorKind::Institution,
            possessive: false,
        });
    }
    heads
        .iter()
        .find(|w| matches!(w.kind, ActorKind::Person | ActorKind::Institution))
        .or_else(|| heads.iter().find(|w| w.kind == ActorKind::State))
        .cloned()
        .or_else(|| {
            // "Joint statement of the foreign ministers of ...": several signatories, no one side.
            let first = doc.sents.first()?;
            (doc.word(first.words.start) == "joint"
                && doc.word(first.words.start + 1) == "statement")
                .then(|| Who {
                    name: "signatories of the joint statement".to_string(),
                    party: Party::Other,
                    at: first.words.start,
                    kind: ActorKind::Institution,
                    possessive: false,
                })
        })
}

fn remember_person(mem: &mut Memory, actors: &[Who]) {
    if let Some(p) = actors
        .iter()
        .find(|w| w.kind == ActorKind::Person && !w.possessive)
    {
        mem.last_person = Some(p.clone());
        mem.last_person_sn = mem.sn;
    }
    if let Some(b) = actors
        .iter()
        .rfind(|w| matches!(w.kind, ActorKind::Institution | ActorKind::State))
    {
        mem.last_body = Some(b.clone());
    }
}

/// A verb of saying with a pronoun for its subject ("he said", "she added", "said he").
fn pronoun_reporter(doc: &Doc, s: &Sent) -> bool {
    s.hits.iter().any(|h| {
        h.entry == Entry::Cue(Cue::Report)
            && (h.start > s.words.start && matches!(doc.word(h.start - 1), "he" | "she")
                || h.end < s.words.end && matches!(doc.word(h.end), "he" | "she"))
    })
}

/// "he said" or "she wrote" at or after word `from`: a pronoun right before a verb of saying.
fn he_says_after(doc: &Doc, s: &Sent, from: usize) -> bool {
    s.hits.iter().any(|h| {
        h.entry == Entry::Cue(Cue::Report)
            && h.start > from
            && matches!(doc.word(h.start - 1), "he" | "she")
    })
}

/// A title standing for the body named just before ("A spokesman said", "The ministry said",
/// "Its spokesman said"): the words before the act hold one and name no actor.
fn titled(doc: &Doc, r: Range<usize>) -> bool {
    r.clone().any(|d| {
        matches!(doc.word(d), "its" | "their" | "a" | "an" | "the")
            && (d + 1..(d + 4).min(r.end)).any(|i| {
                matches!(
                    doc.word(i).trim_end_matches("'s").trim_end_matches("’s"),
                    "spokesman" | "spokeswoman" | "spokesperson" | "ministry" | "office"
                )
            })
    }) || matches!(doc.word(r.start), "its" | "their")
}

/// Where a person's title stands for the speaker ("the minister", "the French president", "that
/// envoy"): the title word's position.
fn person_title(doc: &Doc, r: Range<usize>) -> Option<usize> {
    r.clone().find(|&i| {
        is_person_title(doc.word(i))
            && (i.saturating_sub(3).max(r.start)..i).any(|d| matches!(doc.word(d), "the" | "that"))
            // "the president of France": the body named after.
            && doc.word(i + 1) != "of"
    })
}

fn is_person_title(w: &str) -> bool {
    matches!(
        w,
        "minister"
            | "president"
            | "premier"
            | "chancellor"
            | "envoy"
            | "ambassador"
            | "negotiator"
            | "aide"
            | "adviser"
            | "advisor"
            | "diplomat"
            | "commander"
            | "leader"
    )
}

/// A speaker who comments rather than speaks for a side ("a Moscow-based commentator", "a
/// European analyst").
fn commentator(doc: &Doc, s: &Sent, w: &Who) -> bool {
    (w.at.saturating_sub(3)..(speaker_end(s, w) + 2).min(s.words.end))
        .any(|i| doc.is(i, List::Commentator))
}

/// The subject of the last verb of saying before `at` ("Starmer said Russia was ...").
fn speaker_before(lex: &Lexicon, s: &Sent, at: usize) -> Option<Who> {
    let actors = actors_in(lex, s, &s.words);
    let r = s
        .hits
        .iter()
        .filter(|h| h.entry == Entry::Cue(Cue::Report) && h.end <= at)
        .max_by_key(|h| h.start)?;
    actors
        .iter()
        .filter(|w| w.kind != ActorKind::Demonym && w.at < r.start && w.at + 4 >= r.start)
        .max_by_key(|w| w.at)
        .cloned()
}

/// A sentence that ends with its attribution: "..., Kremlin spokesman Dmitry Peskov told
/// reporters." The speaker stands in the last words, right before the verb of saying.
fn tail_speaker(lex: &Lexicon, s: &Sent) -> Option<Who> {
    let r = s
        .hits
        .iter()
        .filter(|h| h.entry == Entry::Cue(Cue::Report) && h.end + 3 >= s.words.end)
        .max_by_key(|h| h.start)?;
    actors_in(lex, s, &s.words)
        .into_iter()
        .filter(|w| w.kind != ActorKind::Demonym && w.at < r.start && w.at + 3 >= r.start)
        .max_by_key(|w| w.at)
}

fn sentence_speaker(doc: &Doc, lex: &Lexicon, s: &Sent) -> Option<Who> {
    let actors = actors_in(lex, s, &s.words);
    s.hits
        .iter()
        .filter(|h| h.entry == Entry::Cue(Cue::Report))
        .find_map(|r| {
            actors
                .iter()
                .filter(|w| {
                    // "Russia's deputy foreign minister said", "Trump was quoted as saying".
                    let reach = if w.possessive
                        || (w.at + 1..r.start).any(|i| matches!(doc.word(i), "quoted" | "was"))
                    {
                        5
                    } else {
                        3
                    };
                    // "the U.S. ambassador to Ukraine, ..., wrote", "said in Kyiv": a host or a
                    // place named after a preposition is not the sayer.
                    // ("told reporters that Kyiv had ...": what is said, not who says it.)
                    let placed = w.at > s.words.start
                        && matches!(
                            doc.word(w.at - 1),
                            "to" | "in" | "at" | "against" | "with" | "that"
                        )
                        && !(w.at > s.words.start + 1 && doc.word(w.at - 2) == "according");
                    (w.kind != ActorKind::Demonym || w.possessive)
                        && !placed
                        && (w.at + reach >= r.start && w.at < r.start
                            || w.at >= r.end && w.at <= r.end + 3)
                })
                .min_by_key(|w| w.at.abs_diff(r.start))
                .cloned()
        })
}

#[allow(clippy::too_many_arguments)]
fn push(
    out: &mut Vec<Statement>,
    doc: &Doc,
    clause: &Range<usize>,
    who: &Who,
    act: Act,
    about: About,
    target: Option<Party>,
    date: Option<NaiveDate>,
) {
    let span = doc.span(clause.clone());
    out.push(Statement {
        date,
        speaker: who.name.clone(),
        party: who.party,
        act,
        about,
        target: target.filter(|t| *t != who.party),
        evidence: Evidence {
            span,
            text: doc.text.get(span.start..span.end).unwrap_or("").to_string(),
        },
    });
}

/// The named truce a text is about (the one mentioned most), for "the truce was violated".
fn named_truce(doc: &Doc) -> Option<About> {
    let mut counts = [0usize; 11];
    for s in &doc.sents {
        // "a ceasefire in the air, at sea and on land" names no maritime truce.
        // (Read only for a maritime truce.)
        let everywhere = || {
            s.words.clone().any(|i| doc.word(i) == "land")
                && s.words.clone().any(|i| doc.word(i) == "air")
        };
        for h in &s.hits {
            // A prisoner exchange is no truce to break.
            if let Entry::About(a) = h.entry
                && rank(a) == 6
                && a != About::PrisonerExchange
                && !(a == About::MaritimeCeasefire && everywhere())
            {
                let k = About::ALL.iter().position(|x| *x == a).unwrap_or(10);
                counts[k] += 1;
            }
        }
    }
    let (k, n) = counts
        .iter()
        .enumerate()
        .max_by_key(|(k, n)| (**n, 10 - *k))?;
    if *n >= 1 {
        About::ALL.get(k).copied()
    } else {
        None
    }
}

/// The topic the text talks about most (for accusations that do not name theirs).
fn dominant_about(doc: &Doc) -> Option<About> {
    let mut counts = [0usize; 11];
    for s in &doc.sents {
        for h in &s.hits {
            if let Entry::About(a) = h.entry {
                let k = About::ALL.iter().position(|x| *x == a).unwrap_or(10);
                counts[k] += 1;
            }
        }
    }
    let (k, n) = counts
        .iter()
        .enumerate()
        .take(10)
        .max_by_key(|(k, n)| (**n, 10 - *k))?;
    if *n == 0 {
        None
    } else {
        About::ALL.get(k).copied()
    }
}

/// One statement per (party, act, about, target, date) in a document.
fn dedup(v: Vec<Statement>) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::with_capacity(v.len());
    for s in v {
        if !out.iter().any(|o| {
            o.party == s.party
                && o.act == s.act
                && o.about == s.about
                && o.target == s.target
                && (o.date == s.date || o.date.is_none() || s.date.is_none())
        }) {
            out.push(s);
        }
    }
    out
}
