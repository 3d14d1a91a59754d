//! truce's gazetteer: places and admin-1 units of Ukraine, Russia and their neighbours, built
//! from GeoNames (CC BY 4.0) and Debian iso-codes (LGPL-2.1+), with curated contract names.
//!
//! Invariant: this crate knows no IO at run time (the embedded data is compiled in by build.rs),
//! no coding rules and no documents: it knows names, places, regions and how to match them.

mod data;
mod index;
mod keys;

use std::borrow::Cow;

use index::Index;

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
    /// Regions named next to the mention (its sentence, "outside Belgorod"): they outweigh
    /// `regions`.
    pub near: Vec<RegionId>,
    /// Places the text names without ambiguity: a candidate among them wins ("the Kyivskyi
    /// district" of a text about Kharkiv).
    pub places: Vec<PlaceId>,
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
const GIVEN_NAMES: &str = include_str!("../../../data/gazetteer/given_names.tsv");
const NOT_PLACES: &str = include_str!("../../../data/gazetteer/not_places.tsv");
const CITY_DISTRICTS: &str = include_str!("../../../data/gazetteer/city_districts.tsv");
const EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.bin"));

/// The gazetteer: immutable, `Send + Sync`.
#[derive(Clone)]
pub struct Gazetteer {
    places: Vec<Place>,
    regions: Vec<Region>,
    /// The name index (see `index.rs`): borrowed from the binary for the embedded data.
    index: Cow<'static, [u8]>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("places", &self.places.len())
            .field("regions", &self.regions.len())
            .field("index_bytes", &self.index.len())
            .finish()
    }
}

impl Gazetteer {
    /// The gazetteer compiled into truce (GeoNames extract of UA, RU, BY, MD, PL, RO). Decodes
    /// the places and borrows the prebuilt name index in place.
    pub fn embedded() -> Gazetteer {
        match data::decode(EMBEDDED) {
            Some((t, range)) if index::validate(&EMBEDDED[range.clone()]) => {
                Gazetteer::from_parts(t, Cow::Borrowed(&EMBEDDED[range]))
            }
            // build.rs wrote these bytes with data::encode; failing here is a build bug.
            _ => panic!("the embedded gazetteer index is corrupt"),
        }
    }

    /// A gazetteer from a user's TSV in the embedded file's format (header line naming the
    /// columns; at least geonameid, name, lat, lon, country, admin1_code), with truce's curated
    /// admin-1 names, spelling overrides and stoplist.
    pub fn from_tsv(tsv: &str) -> Result<Gazetteer, GazetteerError> {
        let curated = data::Curated {
            admin1: ADMIN1,
            names: NAMES,
            stoplist: STOPLIST,
            given_names: GIVEN_NAMES,
            not_places: NOT_PLACES,
            city_districts: CITY_DISTRICTS,
        };
        let t = data::parse(tsv, "gazetteer", &curated)?;
        let idx = index::build(&t);
        Ok(Gazetteer::from_parts(t, Cow::Owned(idx)))
    }

    fn from_parts(t: data::Tables, index: Cow<'static, [u8]>) -> Gazetteer {
        let regions = t
            .regions
            .into_iter()
            .enumerate()
            .map(|(i, r)| Region {
                id: RegionId(i as u32),
                name: r.name,
                country: r.country,
                iso: r.iso,
                lat: r.lat,
                lon: r.lon,
            })
            .collect();
        let places = t
            .places
            .into_iter()
            .enumerate()
            .map(|(i, p)| Place {
                id: PlaceId(i as u32),
                geonameid: p.geonameid,
                name: p.name,
                region: p.region.map(RegionId),
                country: p.country,
                lat: p.lat,
                lon: p.lon,
                population: p.population,
            })
            .collect();
        Gazetteer {
            places,
            regions,
            index,
        }
    }

    fn idx(&self) -> Index<'_> {
        Index(&self.index)
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
            .map(|v| v.into_iter().map(PlaceId).collect())
            .unwrap_or_default()
    }

    fn lookup_key(&self, k: &str) -> Option<Vec<u32>> {
        let idx = self.idx();
        if let Some(h) = idx.get(index::NAMES, k).filter(|h| !h.is_empty()) {
            return Some(self.with_war_area_alternates(&h));
        }
        let s = keys::stem(k)?;
        idx.get(index::STEMS, &s)
            .filter(|h| !h.is_empty())
            .map(|h| self.with_war_area_alternates(&h))
    }

    /// A hit's current-name places, then the war-area places that have the name only as an
    /// alternate, when no current-name place in the war area is more than a village a tenth
    /// their size ("Seversk" is
    /// also the Russian name of Donetsk Oblast's Siversk, "Konstantinovka" of Kostiantynivka,
    /// "Nikolayev" of Mykolaiv, "Artyomovsk" of Bakhmut).
    fn with_war_area_alternates(&self, h: &index::Hit<'_>) -> Vec<u32> {
        let mut ids = h.best();
        if h.current > 0 && h.alternate > 0 {
            let pop = |id: u32| self.places.get(id as usize).map_or(0, |p| p.population);
            let largest = ids
                .iter()
                .filter(|&&id| self.in_war_area(PlaceId(id)))
                .map(|&id| pop(id))
                .max();
            ids.extend(
                (h.current..h.current + h.alternate)
                    .map(|i| h.id(i))
                    .filter(|&id| {
                        self.in_war_area(PlaceId(id))
                            && largest.is_none_or(|l| l < 10_000 && pop(id) >= 10 * l)
                    }),
            );
        }
        ids
    }

    /// Whether a place lies where the war is fought or reaches often: Ukraine (with Crimea)
    /// and the Russian regions on its border (the units with an ISO code in the curated table).
    pub fn in_war_area(&self, id: PlaceId) -> bool {
        self.places.get(id.0 as usize).is_some_and(|p| {
            p.country == "UA"
                || p.country == "RU"
                    && p.region
                        .and_then(|r| self.regions.get(r.0 as usize))
                        .is_some_and(|r| r.iso.is_some())
        })
    }

    fn region_by_key(&self, table: usize, k: &str) -> Option<u32> {
        self.idx()
            .get(table, k)
            .filter(|h| !h.is_empty())
            .map(|h| h.id(0))
            .filter(|&r| (r as usize) < self.regions.len())
    }

    /// The admin-1 unit a name denotes: "Kursk", "Kursk region", "Kursk Oblast",
    /// "Krasnodar Krai", "Kharkivska oblast", "Харківська область", "Донецкой области",
    /// "Crimea". A bare city-region name ("Kyiv", "Moscow") is the city's own unit.
    pub fn lookup_region(&self, name: &str) -> Option<RegionId> {
        if let Some(r) = self.region_by_key(index::REGION_NAMES, &keys::key(name)) {
            return Some(RegionId(r));
        }
        self.region_by_key(index::REGION_KEYS, &keys::region_key(name))
            .map(RegionId)
    }

    /// Chooses among candidate places: one the context names itself wins, then one inside a
    /// region named next to the mention, then inside a region the text names, then one in a
    /// country it names, then (in a text about the war area) places there, then Ukrainian
    /// places and larger ones. None if there is no candidate.
    pub fn resolve(&self, candidates: &[PlaceId], context: &Context) -> Option<PlaceId> {
        // The war area weighs only in a text about it (one naming Ukraine or a place or
        // region there).
        let war_text = context.countries.iter().any(|c| c == "UA")
            || context.places.iter().any(|p| self.in_war_area(*p))
            || context.regions.iter().chain(&context.near).any(|r| {
                self.regions
                    .get(r.0 as usize)
                    .is_some_and(|r| r.country == "UA" || r.iso.is_some())
            });
        let score = |(i, id): (usize, &PlaceId)| -> f64 {
            let Some(p) = self.places.get(id.0 as usize) else {
                return f64::MIN;
            };
            let mut s = 0.0;
            if context.places.contains(id) {
                s += 4000.0;
            }
            if p.region.is_some_and(|r| context.near.contains(&r)) {
                s += 2000.0;
            }
            if p.region.is_some_and(|r| context.regions.contains(&r)) {
                s += 1000.0;
            }
            if context.countries.contains(&p.country) {
                s += 100.0;
            }
            if war_text && self.in_war_area(*id) {
                s += 25.0;
            }
            if war_text && p.country == "UA" {
                s += 10.0;
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
    /// letter; names on the stoplist (common words) are skipped as places. "<name> region",
    /// "<name> Oblast", "Харківська область" are regions; a bare name is a place when one has
    /// it ("Sumy"), else a region when one has it as an alias ("Crimea", "Donbas").
    pub fn find_mentions(&self, text: &str) -> Vec<Mention> {
        let idx = self.idx();
        let b = text.as_bytes();
        let max_words = idx.max_words();
        let mut out: Vec<Mention> = Vec::new();
        let mut key = String::with_capacity(64);
        let mut gk = String::with_capacity(32);
        // The words around a name (see `names_no_settlement`).
        let mut around = (String::with_capacity(32), String::with_capacity(32));
        // The region key of a name (see `keys::region_key_of_key`).
        let mut rk = String::with_capacity(64);
        // Place names this text uses as surnames.
        let mut surnames: Vec<String> = Vec::new();
        let mut i = 0;
        while i < b.len() {
            // Skip to the next capital letter that starts a word (past runs of other ASCII
            // bytes eight at a time first).
            i = next_upper_or_non_ascii(b, i);
            let Some(&c) = b.get(i) else {
                break;
            };
            if c < 0x80 {
                if !c.is_ascii_uppercase() || (i > 0 && is_word_byte(b[i - 1])) {
                    i += 1;
                    continue;
                }
            } else {
                let Some(ch) = text[i..].chars().next() else {
                    break;
                };
                if !ch.is_uppercase() || prev_is_word_char(text, i) {
                    i += ch.len_utf8();
                    continue;
                }
            }
            let end = word_end(text, i);
            key.clear();
            keys::push_word(&text[i..end], &mut key);
            let cyr = keys::is_cyrillic(&key);
            if !cyr && !idx.may_start_name(&key) {
                i = end;
                continue;
            }
            // Up to max_words + 1 joined tokens from here (a name and a generic word), and the
            // keys of the first n tokens: key[..lens[n]]. Tokens are read as far as a name may
            // reach: the `longest` first, and the one after them.
            let mut toks = [(0usize, 0usize); index::MAX_WORDS + 1];
            let mut lens = [0usize; index::MAX_WORDS + 2];
            toks[0] = (i, end);
            lens[1] = key.len();
            let mut count = 1;
            let mut longest = 1;
            loop {
                while count <= longest && count <= max_words {
                    let Some(s) = next_joined(text, toks[count - 1].1) else {
                        break;
                    };
                    toks[count] = (s, word_end(text, s));
                    key.push(' ');
                    keys::push_word(&text[s..toks[count].1], &mut key);
                    count += 1;
                    lens[count] = key.len();
                }
                if longest < count.min(max_words) && idx.may_continue_name(&key[..lens[longest]]) {
                    longest += 1;
                } else {
                    break;
                }
            }
            let mut found: Option<(usize, Mention)> = None;
            // "<district> district": a city's district names the city ("Obolonskyi district"
            // is Kyiv's; a name shared by several cities lists them all).
            for n in (1..=longest).rev() {
                if n >= count {
                    continue;
                }
                let g = toks[n];
                // District words start with d, r or р (a quick test before building a key).
                if !matches!(
                    text.as_bytes().get(g.0),
                    Some(b'd' | b'D' | b'r' | b'R' | 0xd1 | 0xd0)
                ) {
                    continue;
                }
                gk.clear();
                keys::push_word(&text[g.0..g.1], &mut gk);
                if is_district_word(&gk)
                    && let Some(h) = idx
                        .get(index::DISTRICTS, &key[..lens[n]])
                        .filter(|h| !h.is_empty())
                {
                    let ids = (0..h.current).map(|j| PlaceId(h.id(j))).collect();
                    let m = Mention {
                        span: Span::new(i, g.1),
                        kind: MentionKind::Place(ids),
                    };
                    found = Some((n + 1, m));
                    break;
                }
            }
            for n in (1..=longest).rev() {
                if found.is_some() {
                    break;
                }
                let k = &key[..lens[n]];
                // "<name> region/oblast/область": a region.
                if n < count {
                    let g = toks[n];
                    gk.clear();
                    keys::push_word(&text[g.0..g.1], &mut gk);
                    if keys::is_generic_region_word(&gk)
                        && let Some(r) = self
                            .region_by_key(index::REGION_KEYS, keys::region_key_of_key(k, &mut rk))
                    {
                        if keys::is_plural_region_word(&gk) {
                            self.pluralise(text, &mut out, i);
                        }
                        found = Some((n + 1, region_mention(Span::new(i, g.1), r)));
                        break;
                    }
                }
                let span = Span::new(i, toks[n - 1].1);
                // "Vladimir Putin", "Kirill Dmitriev" (and "Dmitriev" later on): people.
                let surname = n == 1 && follows_given_name(text, i, &idx, &mut gk);
                if surname && !surnames.iter().any(|s| s == k) {
                    surnames.push(k.to_string());
                }
                let person = n == 1
                    && (surname
                        || surnames.iter().any(|s| s == k)
                        || (count > 1
                            && next_joined_by_space(text, toks[0].1)
                            && starts_upper(&text[toks[1].0..])
                            && idx.contains(index::GIVEN, k)));
                if person {
                    break;
                }
                // Two-letter Latin names ("Is", "Uk") are words, not places, in running text.
                let short = !cyr && k.len() <= 2;
                if !short
                    && !idx.contains(index::STOP, k)
                    && let Some(ids) = self.lookup_key(k)
                {
                    if names_no_settlement(text, span, k, &idx, &mut gk, &mut around) {
                        // A street, a pipeline or a plant: skip the name.
                        found = Some((
                            n,
                            Mention {
                                span,
                                kind: MentionKind::Place(Vec::new()),
                            },
                        ));
                        break;
                    }
                    let kind = MentionKind::Place(ids.into_iter().map(PlaceId).collect());
                    found = Some((n, Mention { span, kind }));
                    break;
                }
                if !keys::ends_with_filler(k)
                    && let Some(r) =
                        self.region_by_key(index::REGION_KEYS, keys::region_key_of_key(k, &mut rk))
                {
                    if names_no_settlement(text, span, k, &idx, &mut gk, &mut around) {
                        found = Some((
                            n,
                            Mention {
                                span,
                                kind: MentionKind::Place(Vec::new()),
                            },
                        ));
                        break;
                    }
                    found = Some((n, region_mention(span, r)));
                    break;
                }
            }
            match found {
                Some((n, m)) => {
                    if !matches!(&m.kind, MentionKind::Place(ids) if ids.is_empty()) {
                        out.push(m);
                    }
                    i = toks[n - 1].1;
                }
                None => i = end,
            }
        }
        drop_hyphen_pairs(text, &mut out);
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
                if let Some(r) = self.region_by_key(index::REGION_KEYS, &keys::region_key(name)) {
                    m.kind = MentionKind::Region(RegionId(r));
                }
            }
            before = m.span.start;
        }
    }
}

/// Two place names joined by a hyphen or dash name a route, a front sector or a grouping ("the
/// Kyiv-Moscow train", "the Seversk-Kursk group"), not a settlement.
fn drop_hyphen_pairs(text: &str, out: &mut Vec<Mention>) {
    let joined = |a: &Mention, b: &Mention| {
        matches!(a.kind, MentionKind::Place(_))
            && matches!(b.kind, MentionKind::Place(_))
            && text
                .get(a.span.end..b.span.start)
                .is_some_and(|g| matches!(g, "-" | "–" | "—"))
    };
    if out.len() < 2 || !out.windows(2).any(|w| joined(&w[0], &w[1])) {
        return;
    }
    let mut drop = vec![false; out.len()];
    for k in 1..out.len() {
        if joined(&out[k - 1], &out[k]) {
            drop[k - 1] = true;
            drop[k] = true;
        }
    }
    let mut k = 0;
    out.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// "district", "raion" and their Ukrainian and Russian forms (keys).
fn is_district_word(k: &str) -> bool {
    matches!(
        k,
        "district" | "districts" | "raion" | "район" | "районі" | "району" | "районе" | "района"
    )
}

/// Whether the place name at `span` (key `k`) is part of a street's, a pipeline's or a power
/// plant's name here ("Sovetskaya street", "вулиця Соборна", "the Druzhba pipeline", "the
/// Zaporizhzhia nuclear power plant").
fn names_no_settlement(
    text: &str,
    span: Span,
    k: &str,
    idx: &Index<'_>,
    buf: &mut String,
    words: &mut (String, String),
) -> bool {
    let has = |kind: &str, key: &str, buf: &mut String| {
        buf.clear();
        buf.push_str(kind);
        buf.push(':');
        buf.push_str(key);
        idx.contains(index::NOT_PLACE, buf)
    };
    let (next, prev) = words;
    next.clear();
    keys::push_word(word_after(text, span.end), next);
    prev.clear();
    keys::push_word(word_before(text, span.start), prev);
    (!next.is_empty() && has("street_after", next, buf))
        || (!prev.is_empty() && has("street_before", prev, buf))
        || (has("pipeline", k, buf)
            && (prev == "the" || !next.is_empty() && has("pipeline_word", next, buf)))
        || (has("plant", k, buf) && !next.is_empty() && has("plant_word", next, buf))
}

/// The word after byte `at`, past spaces and closing quotes (empty if none).
fn word_after(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or("");
    let start = rest
        .char_indices()
        .find(|(_, c)| !(c.is_whitespace() || matches!(c, '"' | '”' | '’' | '»' | '\'' | ')')))
        .map_or(rest.len(), |(i, _)| i);
    if start > 4 {
        return "";
    }
    let w = &rest[start..];
    let end = w
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(w.len(), |(i, _)| i);
    &w[..end]
}

/// The word before byte `at`, past spaces, dots and opening quotes (empty if none).
fn word_before(text: &str, at: usize) -> &str {
    let head = text.get(..at).unwrap_or("");
    let end = head
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_whitespace() || matches!(c, '"' | '“' | '«' | '\'' | '‘' | '.')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    if at - end > 4 {
        return "";
    }
    let w = &head[..end];
    let start = w
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(end, |(i, _)| i);
    &w[start..]
}

fn region_mention(span: Span, r: u32) -> Mention {
    Mention {
        span,
        kind: MentionKind::Region(RegionId(r)),
    }
}

/// An ASCII letter or digit, or any byte of a non-ASCII character (checked by the caller).
/// The first byte at or after `i` that is an ASCII capital or not ASCII (`b.len()` if none),
/// eight bytes at a time.
fn next_upper_or_non_ascii(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let v = u64::from_le_bytes(*chunk);
        let low = v & !HIGH;
        // Per byte (high bits cleared, so no carry crosses bytes): at least 'A', above 'Z'.
        let from_a = low + ONES * u64::from(0x80 - b'A');
        let past_z = low + ONES * u64::from(0x7f - b'Z');
        let hits = (from_a & !past_z | v) & HIGH;
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while b
        .get(i)
        .is_some_and(|&c| c < 0x80 && !c.is_ascii_uppercase())
    {
        i += 1;
    }
    i.min(b.len())
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Whether the character before byte `i` is a letter or digit (then `i` is inside a word).
fn prev_is_word_char(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a single space follows the word ending at `at`.
fn next_joined_by_space(text: &str, at: usize) -> bool {
    text.as_bytes().get(at) == Some(&b' ')
}

/// Whether the word before `start` (one space before it) is a given name: then the word at
/// `start` is a surname ("Kirill Dmitriev").
fn follows_given_name(text: &str, start: usize, idx: &Index<'_>, buf: &mut String) -> bool {
    let Some(before) = start.checked_sub(1) else {
        return false;
    };
    if text.as_bytes().get(before) != Some(&b' ') {
        return false;
    }
    let prev = &text[..before];
    let word_start = prev
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(before, |(i, _)| i);
    if word_start == before {
        return false;
    }
    buf.clear();
    keys::push_word(&prev[word_start..], buf);
    idx.contains(index::GIVEN, buf)
}

/// The start of the next word if it is joined to the word ending at `at` by a single space, a
/// hyphen, ". " (as in "St. Petersburg") or a no-break space; None otherwise.
fn next_joined(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes();
    let start = match b.get(at..)? {
        [b' ' | b'-', ..] => at + 1,
        [b'.', b' ', ..] => at + 2,
        [0xc2, 0xa0, ..] => at + 2,
        _ => return None,
    };
    let ch = text.get(start..)?.chars().next()?;
    ch.is_alphanumeric().then_some(start)
}

/// The end of the word starting at `i`: letters and digits, with apostrophes inside words
/// ("Kup'iansk", "Кам’янське"), but not a possessive "'s".
fn word_end(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    loop {
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let Some(&c) = b.get(i) else {
            return i;
        };
        let (ch, len) = if c < 0x80 {
            (c as char, 1)
        } else {
            match text[i..].chars().next() {
                Some(ch) => (ch, ch.len_utf8()),
                None => return i,
            }
        };
        if ch.is_alphanumeric() {
            i += len;
            continue;
        }
        if matches!(ch, '\'' | '’' | 'ʼ') {
            let n = i + len;
            let next_alpha = text[n..].chars().next().is_some_and(char::is_alphabetic);
            let possessive = b.get(n) == Some(&b's')
                && !b
                    .get(n + 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c >= 0x80);
            if next_alpha && !possessive {
                i = n;
                continue;
            }
        }
        return i;
    }
}
