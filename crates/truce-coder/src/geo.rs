//! Places named in a text, resolved through the gazetteer.
//!
//! A name's candidates are weighed by what the text says around it: a place the text names
//! elsewhere without ambiguity, a region named in the same sentence ("Semenivka, Chernihiv
//! region"), the regions and countries of the whole text, the war area, size. A village the
//! gazetteer does not hold (or holds only elsewhere) but that the text ties to a region ("the
//! village of Dubovoye outside Belgorod", "near Demidovka in the Belgorod region") is coded as
//! written, in that region, without coordinates, rather than as a wrong place.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use memchr::memmem;
use truce_gazetteer::{Context, Gazetteer, Mention, MentionKind, RegionId};
use truce_model::{GeoPrecision, Span};

use crate::doc::PlaceHit;

/// Words that introduce a settlement's name ("the village of Dubovoye").
const SETTLEMENT_CUES: &[&str] = &[
    "village of ",
    "villages of ",
    "settlement of ",
    "settlements of ",
    "town of ",
    "hamlet of ",
    "urban-type settlement of ",
];

/// Finds " of " (the word before a settlement's name, see [`unknown_villages`]).
static OF: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(" of "));

/// A settlement larger than this is not taken for an unknown village of the same name.
const VILLAGE_MAX_POPULATION: u64 = 100_000;

/// Every place and region the text names, resolved (ambiguous names by what the text names
/// around them), as spans of `text`. `sentences` are the text's sentence spans, in order.
pub fn places(gaz: &Gazetteer, text: &str, sentences: &[(Span, usize)]) -> Vec<(Span, PlaceHit)> {
    let mut mentions = gaz.find_mentions(text);
    drop_locating_cities(text, &mut mentions);
    let sent_of = |at: usize| sentences.partition_point(|(s, _)| s.end <= at);
    let sent: Vec<usize> = mentions.iter().map(|m| sent_of(m.span.start)).collect();
    let mut ctx = Context::default();
    // Context: the regions the text names, and the regions, countries and identities of the
    // places it names unambiguously.
    for m in &mentions {
        match &m.kind {
            MentionKind::Region(r) => {
                if !ctx.regions.contains(r) {
                    ctx.regions.push(*r);
                }
            }
            MentionKind::Place(ids) if ids.len() == 1 => {
                let p = gaz.place(ids[0]);
                if let Some(r) = p.region
                    && !ctx.regions.contains(&r)
                {
                    ctx.regions.push(r);
                }
                if !ctx.countries.contains(&p.country) {
                    ctx.countries.push(p.country.clone());
                }
                if !ctx.places.contains(&ids[0]) {
                    ctx.places.push(ids[0]);
                }
            }
            MentionKind::Place(_) => {}
        }
    }
    let mut out = Vec::with_capacity(mentions.len() + 1);
    for (k, m) in mentions.iter().enumerate() {
        let hit = match &m.kind {
            MentionKind::Place(ids) => {
                // Regions named in the same sentence: explicit ones, and those of the places
                // named there without ambiguity (only needed to choose among candidates).
                ctx.near.clear();
                if ids.len() > 1 {
                    let lo = sent[..k]
                        .iter()
                        .rposition(|&x| x != sent[k])
                        .map_or(0, |p| p + 1);
                    let hi = sent[k..]
                        .iter()
                        .position(|&x| x != sent[k])
                        .map_or(sent.len(), |p| k + p);
                    for (j, o) in mentions.iter().enumerate().take(hi).skip(lo) {
                        match &o.kind {
                            MentionKind::Region(r) if j != k => ctx.near.push(*r),
                            MentionKind::Place(o_ids) if j != k && o_ids.len() == 1 => {
                                if let Some(r) = gaz.place(o_ids[0]).region {
                                    ctx.near.push(r);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                if let Some(r) = tied_region(gaz, text, &mentions, &sent, k)
                    && !ids.iter().any(|&id| gaz.place(id).region == Some(r))
                    && ids
                        .iter()
                        .all(|&id| gaz.place(id).population <= VILLAGE_MAX_POPULATION)
                {
                    // "the village of Zarechnoye Pervoye": the whole name as written.
                    let span = match capitalised_name(text, m.span.start) {
                        Some(len) if m.span.start + len > m.span.end => {
                            Span::new(m.span.start, m.span.start + len)
                        }
                        _ => m.span,
                    };
                    out.push((span, as_written(gaz, text, span, r)));
                    continue;
                }
                let Some(id) = gaz.resolve(ids, &ctx) else {
                    continue;
                };
                let p = gaz.place(id);
                PlaceHit {
                    start: 0,
                    end: 0,
                    place: Some(p.name.clone()),
                    admin1: gaz.region_of(id).map(|r| r.name.clone()),
                    country: Some(p.country.clone()),
                    lat: Some(p.lat),
                    lon: Some(p.lon),
                    precision: GeoPrecision::Settlement,
                }
            }
            MentionKind::Region(r) => {
                let r = gaz.region(*r);
                PlaceHit {
                    start: 0,
                    end: 0,
                    place: None,
                    admin1: Some(r.name.clone()),
                    country: Some(r.country.clone()),
                    lat: Some(r.lat),
                    lon: Some(r.lon),
                    precision: GeoPrecision::Admin1,
                }
            }
        };
        out.push((m.span, hit));
    }
    unknown_villages(gaz, text, &mentions, &sent, sent_of, &mut out);
    facilities(gaz, text, &mut out);
    out
}

/// A facility and the settlement it stands at (`data/gazetteer/facilities.tsv`).
struct Facility {
    /// Lower-case spellings of its name.
    names: Vec<String>,
    geonameid: u32,
    /// The settlement's English name as coded.
    settlement: String,
}

static FACILITIES: LazyLock<Vec<Facility>> = LazyLock::new(|| {
    include_str!("../../../data/gazetteer/facilities.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let names = cols.next()?;
            let geonameid = cols.next()?.trim().parse().ok()?;
            let settlement = cols.next()?.trim().to_string();
            Some(Facility {
                names: names
                    .split('|')
                    .map(|n| n.trim().to_ascii_lowercase())
                    .collect(),
                geonameid,
                settlement,
            })
        })
        .collect()
});

/// Every spelling of every facility in one automaton (ASCII case folded), so a text that names
/// none (nearly all) is passed over in one scan instead of a search per spelling.
static FACILITY_NAMES: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(FACILITIES.iter().flat_map(|f| f.names.iter()))
        .ok()
});

/// Facilities named after something other than their settlement ("the Olenya air base",
/// "the Zaporizhzhia nuclear power plant", "the Kursk NPP"): the settlement they stand at,
/// in place of any place or region named inside the facility's name.
fn facilities(gaz: &Gazetteer, text: &str, out: &mut Vec<(Span, PlaceHit)>) {
    if FACILITY_NAMES
        .as_ref()
        .is_some_and(|names| !names.is_match(text))
    {
        return;
    }
    let lower = text.to_ascii_lowercase();
    let word_byte = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    let mut added = false;
    for f in FACILITIES.iter() {
        let mut place = None;
        for name in &f.names {
            for (at, _) in lower.match_indices(name.as_str()) {
                let end = at + name.len();
                if (at > 0 && word_byte(lower.as_bytes().get(at - 1)))
                    || word_byte(lower.as_bytes().get(end))
                    || out.iter().any(|(s, h)| {
                        s.start <= at && end <= s.end && h.place.as_deref() == Some(&f.settlement)
                    })
                {
                    continue;
                }
                let p = match place {
                    Some(p) => p,
                    None => match gaz.places().iter().find(|p| p.geonameid == f.geonameid) {
                        Some(p) => {
                            place = Some(p);
                            p
                        }
                        None => break,
                    },
                };
                out.retain(|(s, _)| s.end <= at || s.start >= end);
                out.push((
                    Span::new(at, end),
                    PlaceHit {
                        start: 0,
                        end: 0,
                        place: Some(f.settlement.clone()),
                        admin1: gaz.region_of(p.id).map(|r| r.name.clone()),
                        country: Some(p.country.clone()),
                        lat: Some(p.lat),
                        lon: Some(p.lon),
                        precision: GeoPrecision::Settlement,
                    },
                ));
                added = true;
            }
        }
    }
    if added {
        out.sort_by_key(|(s, _)| s.start);
    }
}

/// A settlement the gazetteer cannot place, coded as the text writes it, in the region the
/// text ties it to (no coordinates: only its region is known).
fn as_written(gaz: &Gazetteer, text: &str, span: Span, r: RegionId) -> PlaceHit {
    let r = gaz.region(r);
    PlaceHit {
        start: 0,
        end: 0,
        place: text.get(span.start..span.end).map(str::to_string),
        admin1: Some(r.name.clone()),
        country: Some(r.country.clone()),
        lat: None,
        lon: None,
        precision: GeoPrecision::Settlement,
    }
}

/// The region the text ties the place mention `k` to: a region named right after it ("in the
/// Belgorod region", ", Kursk Oblast", "(Sumy region)"), or the region of a city it is said to
/// be near ("outside Belgorod", "north of Kursk"); for a name introduced as a village or
/// settlement, the one region its sentence names, or else the one region of the text.
fn tied_region(
    gaz: &Gazetteer,
    text: &str,
    mentions: &[Mention],
    sent: &[usize],
    k: usize,
) -> Option<RegionId> {
    let m = &mentions[k];
    let next = mentions
        .get(k + 1)
        .filter(|_| sent.get(k + 1) == sent.get(k));
    if let Some(n) = next {
        let gap = text.get(m.span.end..n.span.start).unwrap_or("");
        let words: Vec<&str> = gap
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')'))
            .filter(|w| !w.is_empty())
            .collect();
        let region_of_next = || match &n.kind {
            MentionKind::Region(r) => Some(*r),
            MentionKind::Place(ids) if ids.len() == 1 => gaz.place(ids[0]).region,
            MentionKind::Place(_) => None,
        };
        match words.as_slice() {
            // "Dubovoye in the Belgorod region", "Demidovka (Belgorod region)".
            ["in"] | ["in", "the"] | [] | ["of", "the"] | ["of"]
                if matches!(n.kind, MentionKind::Region(_))
                    && (gap.contains("in") || gap.contains('(') || introduced(text, m.span)) =>
            {
                return region_of_next();
            }
            // "Dubovoye outside Belgorod", "a village north of Kursk".
            ["outside" | "near"]
            | ["north" | "south" | "east" | "west", "of"]
            | [
                "northeast" | "northwest" | "southeast" | "southwest" | "north-east" | "north-west"
                | "south-east" | "south-west",
                "of",
            ] => return region_of_next(),
            _ => {}
        }
    }
    if introduced(text, m.span) {
        let mut regions = mentions
            .iter()
            .zip(sent)
            .filter(|(_, s)| Some(*s) == sent.get(k))
            .filter_map(|(o, _)| match o.kind {
                MentionKind::Region(r) => Some(r),
                MentionKind::Place(_) => None,
            });
        match regions.next() {
            Some(first) if regions.all(|r| r == first) => return Some(first),
            Some(_) => return None,
            None => return one_region(gaz, mentions),
        }
    }
    None
}

/// The one region a text is about: the region every region it names and every place it names
/// without ambiguity lies in (None if they lie in several, or the text names none).
fn one_region(gaz: &Gazetteer, mentions: &[Mention]) -> Option<RegionId> {
    let mut one = None;
    for m in mentions {
        let r = match &m.kind {
            MentionKind::Region(r) => *r,
            MentionKind::Place(ids) if ids.len() == 1 => gaz.place(ids[0]).region?,
            MentionKind::Place(_) => continue,
        };
        match one {
            None => one = Some(r),
            Some(o) if o != r => return None,
            Some(_) => {}
        }
    }
    one
}

/// Whether a settlement cue ("the village of") comes right before `span`.
fn introduced(text: &str, span: Span) -> bool {
    let head = text.as_bytes().get(..span.start).unwrap_or(&[]);
    SETTLEMENT_CUES.iter().any(|c| {
        head.len() >= c.len() && head[head.len() - c.len()..].eq_ignore_ascii_case(c.as_bytes())
    })
}

/// Drops a city named only to locate a place named just before it ("Antonivka, a suburb of
/// Kherson"; "the Dniprovskyi district of Kherson" keeps Kherson once), and a city beside its
/// own district ("Kyiv's Darnytskyi district" keeps the district, which names Kyiv).
fn drop_locating_cities(text: &str, mentions: &mut Vec<Mention>) {
    // Case-insensitive ASCII suffix test, without allocating.
    let ends = |s: &str, suffix: &str| {
        s.len() >= suffix.len()
            && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    let is_district = |m: &Mention| {
        text.get(m.span.start..m.span.end)
            .is_some_and(|s| ends(s, " district") || ends(s, " raion"))
    };
    let mut drop: Vec<bool> = Vec::new();
    for k in 1..mentions.len() {
        let (a, b) = (&mentions[k - 1], &mentions[k]);
        let gap = text.get(a.span.end..b.span.start).unwrap_or("");
        if gap.len() > 40 || gap.contains(['.', ';', '\n']) {
            continue;
        }
        let g = gap.trim();
        let mut mark = |i: usize| {
            if drop.is_empty() {
                drop = vec![false; mentions.len()];
            }
            drop[i] = true;
        };
        // "<district> district of <City>", "<City>'s <district> district": the district,
        // which names the same city, stays once.
        if (g.eq_ignore_ascii_case("of") || g.eq_ignore_ascii_case("of the city of"))
            && is_district(a)
        {
            mark(k - 1);
            continue;
        }
        if matches!(g, "'s" | "’s" | "" | "city's" | "city’s") && is_district(b) {
            mark(k - 1);
            continue;
        }
        let locating = ["suburb of", "suburbs of", "outskirts of", "a village near"]
            .iter()
            .any(|c| ends(g, c));
        let a_is_place = matches!(&a.kind, MentionKind::Place(ids) if !ids.is_empty());
        if locating && a_is_place && matches!(b.kind, MentionKind::Place(_)) {
            mark(k);
        }
    }
    if !drop.is_empty() {
        let mut k = 0;
        mentions.retain(|_| {
            k += 1;
            !drop[k - 1]
        });
    }
}

/// Villages the gazetteer does not know at all, introduced as such and tied to a region in
/// their sentence ("near the village of Tyotkino in the Kursk region") or in a text about one
/// region (a governor's round-up of its villages).
fn unknown_villages(
    gaz: &Gazetteer,
    text: &str,
    mentions: &[Mention],
    sent: &[usize],
    sent_of: impl Fn(usize) -> usize,
    out: &mut Vec<(Span, PlaceHit)>,
) {
    let mut added = false;
    // One pass over " of ", then the cue before it ("the village of").
    for at in OF.find_iter(text.as_bytes()) {
        let start = at + 4;
        if !introduced(text, Span::new(start, start)) {
            continue;
        }
        let Some(name) = capitalised_name(text, start) else {
            continue;
        };
        if mentions
            .iter()
            .any(|m| m.span.start <= start && start < m.span.end.max(m.span.start + 1))
        {
            continue;
        }
        let s = sent_of(start);
        let mut regions = mentions
            .iter()
            .zip(sent)
            .filter(|(m, ms)| **ms == s && m.span.start > start)
            .filter_map(|(m, _)| match m.kind {
                MentionKind::Region(r) => Some(r),
                MentionKind::Place(_) => None,
            });
        // A region named after it in its sentence, else the one region of the text.
        let r = match regions.next() {
            Some(r) if regions.all(|o| o == r) => r,
            Some(_) => continue,
            None => match one_region(gaz, mentions) {
                Some(r) => r,
                None => continue,
            },
        };
        let span = Span::new(start, start + name);
        out.push((span, as_written(gaz, text, span, r)));
        added = true;
    }
    if added {
        out.sort_by_key(|(s, _)| s.start);
    }
}

/// The length of the capitalised name (one or two words, hyphens inside) starting at `start`.
fn capitalised_name(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    if !rest.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let word_len = |s: &str| {
        s.char_indices()
            .find(|(_, c)| !(c.is_alphabetic() || matches!(c, '-' | '\'' | '’')))
            .map_or(s.len(), |(i, _)| i)
    };
    let mut len = word_len(rest);
    // "Velyka Pysarivka": a second capitalised word.
    if let Some(after) = rest.get(len..).and_then(|r| r.strip_prefix(' '))
        && after.chars().next().is_some_and(char::is_uppercase)
    {
        let second = word_len(after);
        let w = &after[..second];
        if !matches!(w, "Oblast" | "Region" | "District" | "Krai") {
            len += 1 + second;
        }
    }
    (len >= 3).then_some(len)
}
