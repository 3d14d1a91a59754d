//! truce's gazetteer: places and admin-1 units of Ukraine, Russia and their neighbours, built
//! from GeoNames (CC BY 4.0) and Debian iso-codes (LGPL-2.1+), with curated contract names.
//!
//! Invariant: this crate knows no IO at run time (the embedded data is compiled in by build.rs),
//! no coding rules and no documents: it knows names, places, regions and how to match them.

mod data;
mod keys;

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub use truce_model::Span;

/// Index of a place in its gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlaceId(pub u32);

/// Index of an admin-1 unit (oblast, krai, republic...) in its gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionId(pub u32);

/// A settlement.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub id: PlaceId,
    pub geonameid: u32,
    /// English name in its modern spelling ("Kupiansk", "Kyiv", "Odesa").
    pub name: String,
    pub region: Option<RegionId>,
    /// ISO 3166-1 alpha-2 (Crimea and Sevastopol are UA).
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
}

/// An admin-1 unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub id: RegionId,
    /// The contract's admin1 spelling ("Sumy Oblast", "Kyiv", "Crimea", "Krasnodar Krai").
    pub name: String,
    pub country: String,
    /// ISO 3166-2 code where known ("UA-59").
    pub iso: Option<String>,
    /// Centre of the unit's places (mean of their coordinates).
    pub lat: f64,
    pub lon: f64,
}

/// A place or region named in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte span in the text searched (the name, and the generic word for regions).
    pub span: Span,
    pub kind: MentionKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MentionKind {
    /// Candidate places, best first (see [`Gazetteer::lookup_place`]).
    Place(Vec<PlaceId>),
    Region(RegionId),
}

/// What else a text names, to choose between places of the same name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// Regions named in the same sentence or document.
    pub regions: Vec<RegionId>,
    /// Countries (ISO alpha-2) named in the same sentence or document.
    pub countries: Vec<String>,
}

/// A malformed gazetteer file: the line (1-based), the column and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: line {line}{}: {message}", column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default())]
pub struct GazetteerError {
    pub file: String,
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

impl From<data::DataError> for GazetteerError {
    fn from(e: data::DataError) -> Self {
        GazetteerError {
            file: e.file,
            line: e.line,
            column: e.column,
            message: e.message,
        }
    }
}

const ADMIN1: &str = include_str!("../../../data/gazetteer/admin1.tsv");
const NAMES: &str = include_str!("../../../data/gazetteer/names.tsv");
const STOPLIST: &str = include_str!("../../../data/gazetteer/stoplist.tsv");
const EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.bin"));

/// FxHash (rustc's hasher): fast for short string keys, no DoS concern for compiled-in data.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            h = (h.rotate_left(5) ^ v).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
        self.0 = h;
    }
    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }
    fn write_usize(&mut self, i: usize) {
        self.write(&(i as u64).to_le_bytes());
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
type FxSet<K> = HashSet<K, BuildHasherDefault<Fx>>;

/// Names looked up by a key: places whose current name has the key (tier 0) are preferred to
/// places with it as an alternate or former name (tier 1).
#[derive(Debug, Clone, Default)]
struct Entry {
    current: Vec<u32>,
    alternate: Vec<u32>,
}

/// The gazetteer: immutable, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    places: Vec<Place>,
    regions: Vec<Region>,
    names: FxMap<String, Entry>,
    stems: FxMap<String, Entry>,
    region_keys: FxMap<String, u32>,
    region_names: FxMap<String, u32>,
    /// Keys of every name's first word (a quick filter in `find_mentions`).
    first_words: FxSet<String>,
    stop: FxSet<String>,
    max_words: usize,
}

impl Gazetteer {
    /// The gazetteer compiled into truce (GeoNames extract of UA, RU, BY, MD, PL, RO).
    pub fn embedded() -> Gazetteer {
        match data::decode(EMBEDDED) {
            Some(t) => Gazetteer::from_tables(t),
            // build.rs wrote these bytes with data::encode; failing here is a build bug.
            None => panic!("the embedded gazetteer index is corrupt"),
        }
    }

    /// A gazetteer from a user's TSV in the embedded file's format (header line naming the
    /// columns; at least geonameid, name, lat, lon, country, admin1_code), with truce's curated
    /// admin-1 names.
    pub fn from_tsv(tsv: &str) -> Result<Gazetteer, GazetteerError> {
        let curated = data::Curated {
            admin1: ADMIN1,
            names: NAMES,
            stoplist: STOPLIST,
        };
        let t = data::parse(tsv, "gazetteer", &curated)?;
        Ok(Gazetteer::from_tables(t))
    }

    fn from_tables(t: data::Tables) -> Gazetteer {
        let regions: Vec<Region> = t
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| Region {
                id: RegionId(i as u32),
                name: r.name.clone(),
                country: r.country.clone(),
                iso: r.iso.clone(),
                lat: r.lat,
                lon: r.lon,
            })
            .collect();
        let mut names: FxMap<String, Entry> = FxMap::default();
        let mut stems: FxMap<String, Entry> = FxMap::default();
        let mut first_words: FxSet<String> = FxSet::default();
        let mut max_words = 1;
        let mut places = Vec::with_capacity(t.places.len());
        for (i, p) in t.places.into_iter().enumerate() {
            let id = i as u32;
            let mut add = |name: &str, current: bool| {
                let k = keys::key(name);
                if k.is_empty() {
                    return;
                }
                let n = k.split(' ').count();
                max_words = max_words.max(n.min(4));
                if n > 4 {
                    return;
                }
                if let Some(fw) = k.split(' ').next() {
                    first_words.insert(fw.to_string());
                }
                let stem = keys::stem(&k);
                let e = names.entry(k).or_default();
                let list = if current {
                    &mut e.current
                } else {
                    &mut e.alternate
                };
                if !list.contains(&id) {
                    list.push(id);
                }
                if let Some(s) = stem {
                    let e = stems.entry(s).or_default();
                    let list = if current {
                        &mut e.current
                    } else {
                        &mut e.alternate
                    };
                    if !list.contains(&id) {
                        list.push(id);
                    }
                }
            };
            add(&p.name, true);
            for a in &p.alt {
                add(a, false);
            }
            places.push(Place {
                id: PlaceId(id),
                geonameid: p.geonameid,
                name: p.name,
                region: p.region.map(RegionId),
                country: p.country,
                lat: p.lat,
                lon: p.lon,
                population: p.population,
            });
        }
        let by_pop = |v: &mut Vec<u32>| {
            v.sort_by(|a, b| {
                places[*b as usize]
                    .population
                    .cmp(&places[*a as usize].population)
                    .then(a.cmp(b))
            })
        };
        for e in names.values_mut().chain(stems.values_mut()) {
            by_pop(&mut e.current);
            by_pop(&mut e.alternate);
            // A place is listed once, at its best tier.
            let cur: HashSet<u32> = e.current.iter().copied().collect();
            e.alternate.retain(|x| !cur.contains(x));
        }
        let mut region_keys: FxMap<String, u32> = FxMap::default();
        let mut region_names: FxMap<String, u32> = FxMap::default();
        // Aliases first, then contract names: "Kyiv region" is Kyiv Oblast (alias "Kyiv"),
        // while the bare contract name "Kyiv" is the city's own unit (see `lookup_region`).
        for (i, r) in t.regions.iter().enumerate() {
            region_names.entry(keys::key(&r.name)).or_insert(i as u32);
            for a in &r.aliases {
                let k = keys::region_key(a);
                if !k.is_empty() {
                    region_keys.entry(k).or_insert(i as u32);
                }
            }
        }
        for (i, r) in t.regions.iter().enumerate() {
            let k = keys::region_key(&r.name);
            if !k.is_empty() {
                region_keys.entry(k).or_insert(i as u32);
            }
        }
        let stop = t.stop.iter().map(|s| keys::key(s)).collect();
        Gazetteer {
            places,
            regions,
            names,
            stems,
            region_keys,
            region_names,
            first_words,
            stop,
            max_words,
        }
    }

    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.0 as usize]
    }

    pub fn region(&self, id: RegionId) -> &Region {
        &self.regions[id.0 as usize]
    }

    /// The place's admin-1 unit, if known.
    pub fn region_of(&self, id: PlaceId) -> Option<&Region> {
        self.place(id).region.map(|r| self.region(r))
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Places with this name (case, diacritics, apostrophes and hyphens ignored; Latin
    /// variants such as Kiev/Kyiv; Ukrainian and Russian Cyrillic, including declined forms
    /// such as "Харкова", "Києві", "Покровську"). Places whose current name it is come first
    /// (largest population first); places that only have it as an alternate or former name
    /// are returned only when no current name matches.
    pub fn lookup_place(&self, name: &str) -> Vec<PlaceId> {
        let k = keys::key(name);
        self.lookup_key(&k)
            .map(|v| v.iter().map(|&i| PlaceId(i)).collect())
            .unwrap_or_default()
    }

    fn lookup_key(&self, k: &str) -> Option<&[u32]> {
        fn pick(e: &Entry) -> Option<&[u32]> {
            if !e.current.is_empty() {
                Some(&e.current[..])
            } else if !e.alternate.is_empty() {
                Some(&e.alternate[..])
            } else {
                None
            }
        }
        if let Some(v) = self.names.get(k).and_then(pick) {
            return Some(v);
        }
        let s = keys::stem(k)?;
        self.stems.get(&s).and_then(pick)
    }

    /// The admin-1 unit a name denotes: "Kursk", "Kursk region", "Kursk Oblast",
    /// "Krasnodar Krai", "Kharkivska oblast", "Харківська область", "Донецкой области",
    /// "Crimea". A bare city-region name ("Kyiv", "Moscow") is the city's own unit.
    pub fn lookup_region(&self, name: &str) -> Option<RegionId> {
        if let Some(&r) = self.region_names.get(&keys::key(name)) {
            return Some(RegionId(r));
        }
        self.region_keys
            .get(&keys::region_key(name))
            .map(|&r| RegionId(r))
    }

    /// Chooses among candidate places: one inside a region the context names wins, then one in
    /// a country it names, then Ukrainian places and larger ones. None if there is no candidate.
    pub fn resolve(&self, candidates: &[PlaceId], context: &Context) -> Option<PlaceId> {
        let score = |(i, id): (usize, &PlaceId)| -> f64 {
            let Some(p) = self.places.get(id.0 as usize) else {
                return f64::MIN;
            };
            let mut s = 0.0;
            if p.region.is_some_and(|r| context.regions.contains(&r)) {
                s += 1000.0;
            }
            if context.countries.contains(&p.country) {
                s += 100.0;
            }
            if p.country == "UA" {
                s += 30.0;
            }
            s += (p.population as f64 + 1.0).log10() * 10.0;
            // Earlier candidates (current names before alternates) win ties.
            s - i as f64 * 1e-6
        };
        candidates
            .iter()
            .enumerate()
            .filter(|(_, id)| (id.0 as usize) < self.places.len())
            .map(|c| (score(c), *c.1))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, id)| id)
    }

    /// Every place and region mention in a text, in order. Names must start with a capital
    /// letter; names on the stoplist (common words) are skipped as places.
    pub fn find_mentions(&self, text: &str) -> Vec<Mention> {
        let toks = tokens(text);
        let mut out: Vec<Mention> = Vec::new();
        let mut key = String::with_capacity(64);
        let mut first = String::with_capacity(32);
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            let word = &text[t.0..t.1];
            if !word.chars().next().is_some_and(char::is_uppercase) {
                i += 1;
                continue;
            }
            first.clear();
            keys::push_word(word, &mut first);
            let cyr = keys::is_cyrillic(&first);
            if !cyr && !self.first_words.contains(&first) {
                i += 1;
                continue;
            }
            let mut found: Option<(usize, Mention)> = None;
            let max = self.max_words.min(toks.len() - i);
            for n in (1..=max).rev() {
                // Words of a name are separated by spaces or hyphens only.
                if n > 1 && !joined(text, &toks[i..i + n]) {
                    continue;
                }
                key.clear();
                for (j, tk) in toks[i..i + n].iter().enumerate() {
                    if j > 0 {
                        key.push(' ');
                    }
                    keys::push_word(&text[tk.0..tk.1], &mut key);
                }
                // "<name> region/oblast/область": a region.
                if let Some(g) = toks.get(i + n) {
                    let mut gk = String::new();
                    keys::push_word(&text[g.0..g.1], &mut gk);
                    if keys::is_generic_region_word(&gk)
                        && joined(text, &toks[i + n - 1..=i + n])
                        && let Some(&r) = self.region_keys.get(&keys::region_key(&key))
                    {
                        let span = Span::new(t.0, g.1);
                        if keys::is_plural_region_word(&gk) {
                            self.pluralise(text, &mut out, t.0);
                        }
                        found = Some((n + 1, region_mention(span, r)));
                        break;
                    }
                }
                if !self.stop.contains(key.as_str())
                    && let Some(ids) = self.lookup_key(&key)
                {
                    let span = Span::new(t.0, toks[i + n - 1].1);
                    found = Some((
                        n,
                        Mention {
                            span,
                            kind: MentionKind::Place(ids.iter().map(|&i| PlaceId(i)).collect()),
                        },
                    ));
                    break;
                }
                if let Some(&r) = self.region_keys.get(&keys::region_key(&key)) {
                    let span = Span::new(t.0, toks[i + n - 1].1);
                    found = Some((n, region_mention(span, r)));
                    break;
                }
            }
            match found {
                Some((n, m)) => {
                    out.push(m);
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }

    /// "the Kursk and Belgorod regions": the names listed before a plural generic word are
    /// regions too.
    fn pluralise(&self, text: &str, out: &mut [Mention], mut before: usize) {
        for m in out.iter_mut().rev() {
            let gap = &text[m.span.end..before];
            let is_list = gap
                .split(|c: char| c.is_whitespace() || c == ',')
                .all(|w| w.is_empty() || matches!(w, "and" | "&" | "і" | "и" | "та"));
            if !is_list {
                break;
            }
            if let MentionKind::Place(_) = m.kind {
                let name = &text[m.span.start..m.span.end];
                if let Some(&r) = self.region_keys.get(&keys::region_key(name)) {
                    m.kind = MentionKind::Region(RegionId(r));
                }
            }
            before = m.span.start;
        }
    }
}

fn region_mention(span: Span, r: u32) -> Mention {
    Mention {
        span,
        kind: MentionKind::Region(RegionId(r)),
    }
}

/// Whether consecutive tokens are separated only by a single space or hyphen.
fn joined(text: &str, toks: &[(usize, usize)]) -> bool {
    toks.windows(2).all(|w| {
        let gap = &text.as_bytes()[w[0].1..w[1].0];
        matches!(gap, b" " | b"-" | b". " | b"\xc2\xa0")
    })
}

/// Word tokens (letters and digits, with apostrophes inside words) as byte spans.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 6);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if c.is_ascii_alphanumeric() {
                let s = i;
                i = word_end(text, i);
                out.push((s, i));
            } else {
                i += 1;
            }
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        if ch.is_alphanumeric() {
            let s = i;
            i = word_end(text, i);
            out.push((s, i));
        } else {
            i += ch.len_utf8();
        }
    }
    out
}

fn word_end(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if c.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            if c == b'\''
                && b.get(i + 1)
                    .is_some_and(|n| n.is_ascii_alphabetic() || *n >= 0x80)
            {
                // "Kryvyi Rih's" stays one token only for Cyrillic/inner apostrophes: stop at 's.
                if b.get(i + 1) == Some(&b's')
                    && !b.get(i + 2).is_some_and(|n| n.is_ascii_alphabetic())
                {
                    return i;
                }
                i += 1;
                continue;
            }
            return i;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        if ch.is_alphanumeric() {
            i += ch.len_utf8();
        } else if matches!(ch, '’' | 'ʼ')
            && text[i + ch.len_utf8()..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic)
        {
            let n = i + ch.len_utf8();
            if text[n..].starts_with('s')
                && !text
                    .as_bytes()
                    .get(n + 1)
                    .is_some_and(|c| c.is_ascii_alphabetic())
            {
                return i;
            }
            i = n;
        } else {
            return i;
        }
    }
    i
}
