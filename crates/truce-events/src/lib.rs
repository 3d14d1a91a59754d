//! Merges incidents that different documents report about the same strike into one [`Event`],
//! keeping every source's figures and who asserts them.
//!
//! Invariant: this crate knows no IO, no agreements and no verdicts; it only decides which
//! reports describe the same attack and what, taken together, they say.
//!
//! # Rules
//!
//! - **Same strike.** Two incidents merge when they come from different documents, their dates are
//!   both known and at most one day apart, they are at the same place (same settlement name and
//!   country; or both geocoded to settlements within 30 km; or both without a settlement in the
//!   same region and country), their perpetrators are equal or one is unknown, and their targets
//!   share a category or one side's are unknown. An incident joins an event only if it is
//!   compatible with **every** incident already in it (no chaining).
//! - **Incremental merging.** A [`Merger`] takes incidents one at a time: each joins the oldest
//!   event (the one started first) it is compatible with, else starts a new one. Events only
//!   grow: a new report never moves an incident out of its event. [`merge`] feeds a whole set in
//!   a canonical order (date, country, region, place, document, index), so any input order gives
//!   the same events; ingest feeds incidents in log order, so the same log gives the same events.
//! - **Stable ids.** An event's id is the first 16 bytes of SHA-256 over the key
//!   (`document_id:index`) of its first member, the incident that started it. Reports joining
//!   later never change it, so a verdict logged for an event stays attached to it.
//! - **Bounded memory.** [`Merger::evict`] drops the events started before a given tick (ingest:
//!   the log's document count); later incidents can no longer join them. Ingest keeps an event
//!   open for [`MERGE_WINDOW_DOCUMENTS`] documents after the one that started it.
//! - **Voices and independence.** A source's voice is the party it quotes (`reported_by` UA or RU)
//!   or, for journalists' own reporting and others, its outlet. Sources are independent when their
//!   voices differ: a party's claim repeated by five outlets is one voice.
//! - **Casualties** (as UCDP GED): each voice's figures are first combined (its highest), then
//!   `low` is the lowest of the voices' low bounds (vague words such as "dozens" count here only),
//!   `best` the median of the voices' figures (the lower median when even), `high` the highest.
//!   `exact`, `approx`, `at_least` and `more_than` figures give `n` to all three; `up_to n` gives
//!   `n` to `high` only.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use sha2::{Digest, Sha256};
pub use truce_model::{
    Casualties, DatePrecision, DocumentMeta, Evidence, GeoPrecision, Incident, NaiveDate, Party,
    Qualifier, Reporter, Side, Target, Weapon,
};

/// Where a report comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Source {
    /// The document's id (hex SHA-256 of its text).
    pub document_id: String,
    /// The outlet: the host of the document's URL, else its `source`, else `unknown`.
    pub outlet: String,
    pub published: Option<NaiveDate>,
}

impl Source {
    /// Builds a source from a document's metadata.
    pub fn from_meta(meta: &DocumentMeta) -> Source {
        Source {
            document_id: meta.id.clone(),
            outlet: outlet_of(meta),
            published: meta.published,
        }
    }
}

/// The outlet a document comes from: its URL's host (without `www.`), else its `source` as given.
pub fn outlet_of(meta: &DocumentMeta) -> String {
    if let Some(url) = &meta.url {
        let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        let host = rest
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .rsplit('@')
            .next()
            .unwrap_or("");
        let host = host.split(':').next().unwrap_or("").to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
        if !host.is_empty() {
            return host;
        }
    }
    match &meta.source {
        Some(s) if !s.trim().is_empty() => s.trim().to_string(),
        _ => "unknown".to_string(),
    }
}

/// One coded incident with the document it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedIncident {
    pub incident: Incident,
    pub source: Source,
    /// The incident's position among its document's incidents.
    pub index: u32,
}

impl SourcedIncident {
    /// `document_id:index`, unique per incident.
    pub fn key(&self) -> String {
        format!("{}:{}", self.source.document_id, self.index)
    }
}

/// An event's id: 16 bytes, printed as 32 lower-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(pub [u8; 16]);

impl EventId {
    /// The id of an event whose first member (the incident that started it) has this key
    /// (`document_id:index`).
    pub fn of_first_member(key: &str) -> EventId {
        EventId::of_keys(&[key])
    }

    /// A hash of these keys (order does not matter): 16 bytes of SHA-256 over them, sorted and
    /// newline-separated. An event's id is this over its first member's key alone.
    pub fn of_keys<S: AsRef<str>>(keys: &[S]) -> EventId {
        let mut sorted: Vec<&str> = keys.iter().map(|k| k.as_ref()).collect();
        sorted.sort_unstable();
        let mut h = Sha256::new();
        for (i, k) in sorted.iter().enumerate() {
            if i > 0 {
                h.update(b"\n");
            }
            h.update(k.as_bytes());
        }
        let d = h.finalize();
        let mut id = [0u8; 16];
        id.copy_from_slice(&d[..16]);
        EventId(id)
    }

    /// Parses 32 hex digits.
    pub fn parse(s: &str) -> Option<EventId> {
        if s.len() != 32 {
            return None;
        }
        let mut id = [0u8; 16];
        for (i, b) in id.iter_mut().enumerate() {
            *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(EventId(id))
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Who asserts a report: the party it quotes, or the outlet's own reporting.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Voice {
    Party(Party),
    Outlet(String),
}

impl Voice {
    pub fn of(reporter: Reporter, outlet: &str) -> Voice {
        match reporter {
            Reporter::Ua => Voice::Party(Party::Ua),
            Reporter::Ru => Voice::Party(Party::Ru),
            Reporter::Media | Reporter::Other => Voice::Outlet(outlet.to_string()),
        }
    }
}

impl fmt::Display for Voice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Voice::Party(p) => write!(f, "party:{p}"),
            Voice::Outlet(o) => write!(f, "outlet:{o}"),
        }
    }
}

/// One source's report inside an event: what it says and who says it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSource {
    pub document_id: String,
    pub outlet: String,
    pub published: Option<NaiveDate>,
    /// Index of the incident in its document.
    pub index: u32,
    pub reporter: Reporter,
    pub voice: Voice,
    pub incident: Incident,
}

impl EventSource {
    pub fn key(&self) -> String {
        format!("{}:{}", self.document_id, self.index)
    }
}

/// Low / best / high estimate of a casualty figure over an event's sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Estimate {
    pub low: Option<u32>,
    pub best: Option<u32>,
    pub high: Option<u32>,
}

/// One attack, as all the reports merged into it describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    /// The date most sources give (the earliest among equals).
    pub date: Option<NaiveDate>,
    /// `day` when every source gives a day, else the coarsest precision.
    pub date_precision: DatePrecision,
    /// Earliest and latest dates the sources give (the event may be on any of them).
    pub date_range: Option<(NaiveDate, NaiveDate)>,
    pub place: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geo_precision: Option<GeoPrecision>,
    /// The known perpetrator if any source names one.
    pub perpetrator: Side,
    /// Union over sources, sorted; `unknown` only when no source knows.
    pub weapons: Vec<Weapon>,
    /// Union over sources, sorted; `unknown` only when no source knows.
    pub targets: Vec<Target>,
    pub killed: Estimate,
    pub injured: Estimate,
    /// Sorted by key (`document_id:index`).
    pub sources: Vec<EventSource>,
    /// Distinct voices, sorted.
    pub voices: Vec<Voice>,
}

impl Event {
    /// The number of independent voices among the sources.
    pub fn independent_sources(&self) -> usize {
        self.voices.len()
    }

    /// Member keys, sorted.
    pub fn member_keys(&self) -> Vec<String> {
        self.sources.iter().map(|s| s.key()).collect()
    }

    /// Does a source of this event come from document `id`?
    pub fn has_document(&self, id: &str) -> bool {
        self.sources.iter().any(|s| s.document_id == id)
    }

    /// The evidence sentences of the sources, in source order.
    pub fn evidence(&self) -> impl Iterator<Item = &Evidence> {
        self.sources.iter().map(|s| &s.incident.evidence)
    }
}

/// Distance in km between two points (haversine, mean Earth radius).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let dlat = lat2 - lat1;
    let dlon = lon2 - lon1;
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// The greatest distance (km) at which two settlement-level reports can be the same strike.
pub const SAME_PLACE_KM: f64 = 30.0;

fn eq_opt(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
        (None, None) => true,
        _ => false,
    }
}

fn coords(i: &Incident) -> Option<(f64, f64)> {
    match (i.lat, i.lon, i.geo_precision) {
        (Some(la), Some(lo), None | Some(GeoPrecision::Settlement))
            if la.is_finite() && lo.is_finite() =>
        {
            Some((la, lo))
        }
        _ => None,
    }
}

fn same_place(a: &Incident, b: &Incident) -> bool {
    if !eq_opt(&a.country, &b.country) {
        return false;
    }
    match (&a.place, &b.place) {
        (Some(x), Some(y)) => {
            if x.trim().eq_ignore_ascii_case(y.trim()) {
                return true;
            }
            match (coords(a), coords(b)) {
                (Some(p), Some(q)) => distance_km(p, q) <= SAME_PLACE_KM,
                _ => false,
            }
        }
        (None, None) => eq_opt(&a.admin1, &b.admin1),
        _ => false,
    }
}

fn known_targets(i: &Incident) -> impl Iterator<Item = Target> + '_ {
    i.targets.iter().copied().filter(|&t| t != Target::Unknown)
}

/// Can two incidents be reports of the same strike?
pub fn compatible(a: &SourcedIncident, b: &SourcedIncident) -> bool {
    if a.source.document_id == b.source.document_id {
        return false;
    }
    let (x, y) = (&a.incident, &b.incident);
    match (x.date, y.date) {
        (Some(d1), Some(d2)) if (d1 - d2).num_days().abs() <= 1 => {}
        _ => return false,
    }
    if x.perpetrator != y.perpetrator
        && x.perpetrator != Side::Unknown
        && y.perpetrator != Side::Unknown
    {
        return false;
    }
    let both_known = known_targets(x).next().is_some() && known_targets(y).next().is_some();
    if both_known && !known_targets(x).any(|t| y.targets.contains(&t)) {
        return false;
    }
    same_place(x, y)
}

fn canonical_cmp(a: &SourcedIncident, b: &SourcedIncident) -> Ordering {
    let (x, y) = (&a.incident, &b.incident);
    // Known dates first, in order.
    let dk = |d: Option<NaiveDate>| (d.is_none(), d);
    dk(x.date)
        .cmp(&dk(y.date))
        .then_with(|| x.country.cmp(&y.country))
        .then_with(|| x.admin1.cmp(&y.admin1))
        .then_with(|| x.place.cmp(&y.place))
        .then_with(|| a.source.document_id.cmp(&b.source.document_id))
        .then_with(|| a.index.cmp(&b.index))
        .then_with(|| format!("{a:?}").cmp(&format!("{b:?}")))
}

/// A blocking key: incidents that can merge share at least one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum BlockKey {
    /// (country, place), trimmed and lower-cased.
    Place(String, String),
    /// (country, region) of incidents without a place.
    Region(String, Option<String>),
    /// A grid cell of half a degree of latitude by one of longitude (over 30 km either way up
    /// to 70° N), for geocoded settlements.
    Cell(String, i32, i32),
}

fn norm(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|x| x.trim().to_lowercase())
}

fn cell(lat: f64, lon: f64) -> (i32, i32) {
    ((lat / 0.5).floor() as i32, lon.floor() as i32)
}

/// The keys an incident is filed under.
fn own_keys(i: &Incident) -> Vec<BlockKey> {
    let country = norm(&i.country).unwrap_or_default();
    let mut keys = Vec::with_capacity(2);
    match norm(&i.place) {
        Some(p) => keys.push(BlockKey::Place(country.clone(), p)),
        None => keys.push(BlockKey::Region(country.clone(), norm(&i.admin1))),
    }
    if i.place.is_some()
        && let Some((la, lo)) = coords(i)
    {
        let (a, b) = cell(la, lo);
        keys.push(BlockKey::Cell(country, a, b));
    }
    keys
}

/// The keys under which an incident's possible matches are filed.
fn lookup_keys(i: &Incident) -> Vec<BlockKey> {
    let mut keys = own_keys(i);
    if let Some(BlockKey::Cell(country, a, b)) = keys.last().cloned() {
        keys.pop();
        for da in -1..=1 {
            for db in -1..=1 {
                keys.push(BlockKey::Cell(country.clone(), a + da, b + db));
            }
        }
    }
    keys
}

/// Merges incidents into events. Pure and deterministic: any input order gives the same events,
/// returned sorted by (date, id). Incidents with the same key (`document_id:index`) are kept once.
/// It is a [`Merger`] fed in the canonical order.
pub fn merge(incidents: &[SourcedIncident]) -> Vec<Event> {
    let mut order: Vec<&SourcedIncident> = incidents.iter().collect();
    order.sort_by(|a, b| canonical_cmp(a, b));
    order.dedup_by(|a, b| a.source.document_id == b.source.document_id && a.index == b.index);
    let mut merger = Merger::new();
    for inc in order {
        merger.add(inc.clone(), 0);
    }
    let mut events = merger.into_events();
    events.sort_by_key(|e| (e.date.is_none(), e.date, e.id));
    events
}

/// An event being merged: its members in the order they joined.
#[derive(Debug, Clone)]
struct Cluster {
    id: EventId,
    members: Vec<SourcedIncident>,
    /// The tick it started at (see [`Merger::add`]).
    started: u64,
    /// Earliest and latest member dates.
    dates: Option<(NaiveDate, NaiveDate)>,
    /// The (block, date) keys its members are filed under.
    keys: Vec<(BlockKey, NaiveDate)>,
}

/// How many documents an event stays open for new reports after the report that started it,
/// when incidents are merged in log order (ingest): reports logged later start new events.
/// Reports of one strike come within days of it; this bounds the memory ingest keeps (the
/// incidents of the last this many documents), however long reports of one strike go on.
pub const MERGE_WINDOW_DOCUMENTS: u64 = 16_384;

/// Incremental merging (complete linkage, greedy): each incident added joins the oldest live
/// event it is compatible with (with every member), else starts one. Candidates come from
/// blocking keys that every compatible pair shares (same place name, same region when neither
/// names a place, or neighbouring grid cells when both are geocoded), per date: an incident dated
/// `d` is compared only with events that have a member on `d - 1`, `d` or `d + 1` under one of
/// its keys. Undated incidents never merge.
///
/// Memory is bounded by what the caller keeps live: [`Merger::evict`] drops the events started
/// before a tick.
#[derive(Debug, Clone, Default)]
pub struct Merger {
    /// Live events by creation number (the oldest first).
    clusters: BTreeMap<u64, Cluster>,
    by_id: HashMap<EventId, u64>,
    blocks: HashMap<(BlockKey, NaiveDate), Vec<u64>>,
    created: u64,
}

impl Merger {
    pub fn new() -> Merger {
        Merger::default()
    }

    /// Live events.
    pub fn len(&self) -> usize {
        self.clusters.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty()
    }

    /// Events started so far (live or evicted).
    pub fn created(&self) -> u64 {
        self.created
    }

    /// Adds an incident at `tick` (any number the caller counts with, never decreasing, e.g.
    /// documents logged);
    /// returns the id of the event it joined or started, and whether it started it. The
    /// caller keeps keys unique: an incident whose key is already a member is added again.
    pub fn add(&mut self, inc: SourcedIncident, tick: u64) -> (EventId, bool) {
        let found = match inc.incident.date {
            Some(d) => {
                let mut candidates: Vec<u64> = Vec::new();
                for key in lookup_keys(&inc.incident) {
                    for day in [d.pred_opt(), Some(d), d.succ_opt()].into_iter().flatten() {
                        if let Some(list) = self.blocks.get(&(key.clone(), day)) {
                            candidates.extend_from_slice(list);
                        }
                    }
                }
                candidates.sort_unstable();
                candidates.dedup();
                candidates.into_iter().find(|c| {
                    self.clusters.get(c).is_some_and(|cl| {
                        cl.dates.is_some_and(|(lo, hi)| {
                            (d - lo).num_days() <= 1 && (hi - d).num_days() <= 1
                        }) && cl.members.iter().all(|m| compatible(m, &inc))
                    })
                })
            }
            None => None,
        };
        let own: Vec<(BlockKey, NaiveDate)> = match inc.incident.date {
            Some(d) => own_keys(&inc.incident)
                .into_iter()
                .map(|k| (k, d))
                .collect(),
            None => Vec::new(),
        };
        let (c, started) = match found.and_then(|c| self.clusters.get_mut(&c).map(|cl| (c, cl))) {
            Some((c, cl)) => {
                if let Some(d) = inc.incident.date {
                    cl.dates = cl
                        .dates
                        .map(|(lo, hi)| (lo.min(d), hi.max(d)))
                        .or(Some((d, d)));
                }
                cl.members.push(inc);
                (c, false)
            }
            None => {
                let c = self.created;
                self.created += 1;
                let id = EventId::of_first_member(&inc.key());
                self.by_id.insert(id, c);
                self.clusters.insert(
                    c,
                    Cluster {
                        id,
                        dates: inc.incident.date.map(|d| (d, d)),
                        members: vec![inc],
                        started: tick,
                        keys: Vec::new(),
                    },
                );
                (c, true)
            }
        };
        let mut id = EventId([0; 16]);
        if let Some(cl) = self.clusters.get_mut(&c) {
            id = cl.id;
            for k in own {
                if !cl.keys.contains(&k) {
                    let list = self.blocks.entry(k.clone()).or_default();
                    if !list.contains(&c) {
                        list.push(c);
                    }
                    cl.keys.push(k);
                }
            }
        }
        (id, started)
    }

    /// The event with this id as its members now make it, if live.
    pub fn event(&self, id: &EventId) -> Option<Event> {
        let c = self.by_id.get(id)?;
        self.clusters.get(c).map(build_cluster)
    }

    /// Ids of the live events, oldest first.
    pub fn ids(&self) -> impl Iterator<Item = EventId> + '_ {
        self.clusters.values().map(|c| c.id)
    }

    /// Ids of the live events with a member dated within `[from, to]`, oldest first.
    pub fn ids_dated(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = EventId> + '_ {
        self.clusters
            .values()
            .filter(move |c| {
                c.dates.is_some_and(|(lo, hi)| lo <= to && hi >= from)
                    && c.members
                        .iter()
                        .any(|m| m.incident.date.is_some_and(|d| d >= from && d <= to))
            })
            .map(|c| c.id)
    }

    /// Drops the events started before `tick` (later incidents start new events instead of
    /// joining them); returns their ids, oldest first.
    pub fn evict(&mut self, tick: u64) -> Vec<EventId> {
        let old: Vec<u64> = self
            .clusters
            .iter()
            .take_while(|(_, c)| c.started < tick)
            .map(|(&k, _)| k)
            .collect();
        let mut ids = Vec::with_capacity(old.len());
        for k in old {
            let Some(cl) = self.clusters.remove(&k) else {
                continue;
            };
            for key in &cl.keys {
                if let Some(list) = self.blocks.get_mut(key) {
                    list.retain(|&x| x != k);
                    if list.is_empty() {
                        self.blocks.remove(key);
                    }
                }
            }
            self.by_id.remove(&cl.id);
            ids.push(cl.id);
        }
        ids
    }

    /// Every live event, oldest first.
    pub fn into_events(self) -> Vec<Event> {
        self.clusters.values().map(build_cluster).collect()
    }
}

fn build_cluster(c: &Cluster) -> Event {
    build_event(c.id, c.members.iter().collect())
}

/// The most frequent value (the smallest among equally frequent ones).
fn mode<T: Ord + Clone>(values: impl Iterator<Item = T>) -> Option<T> {
    let mut v: Vec<T> = values.collect();
    v.sort();
    let mut best: Option<(usize, T)> = None;
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j < v.len() && v[j] == v[i] {
            j += 1;
        }
        if best.as_ref().is_none_or(|(n, _)| j - i > *n) {
            best = Some((j - i, v[i].clone()));
        }
        i = j;
    }
    best.map(|(_, t)| t)
}

fn geo_rank(i: &Incident) -> u8 {
    match (i.place.is_some(), i.admin1.is_some(), i.country.is_some()) {
        (true, _, _) => 3,
        (false, true, _) => 2,
        (false, false, true) => 1,
        _ => 0,
    }
}

/// Low, best and high candidates one casualty report gives.
fn candidates(c: &Casualties) -> (Option<u32>, Option<u32>, Option<u32>) {
    match c.count {
        Some(k) => match k.q {
            Qualifier::UpTo => (c.vague_low, None, Some(k.n)),
            _ => (Some(k.n), Some(k.n), Some(k.n)),
        },
        None => (c.vague_low, None, None),
    }
}

/// Combines casualty reports into an estimate, one voice at a time.
pub fn estimate<'a>(reports: impl Iterator<Item = (&'a Voice, &'a Casualties)>) -> Estimate {
    type Bounds<'v> = (&'v Voice, Option<u32>, Option<u32>, Option<u32>);
    let mut per_voice: Vec<Bounds> = Vec::new();
    for (voice, c) in reports {
        let (l, b, h) = candidates(c);
        match per_voice.iter_mut().find(|(v, ..)| *v == voice) {
            Some(e) => {
                e.1 = e.1.max(l);
                e.2 = e.2.max(b);
                e.3 = e.3.max(h);
            }
            None => per_voice.push((voice, l, b, h)),
        }
    }
    let low = per_voice.iter().filter_map(|e| e.1).min();
    let mut bests: Vec<u32> = per_voice.iter().filter_map(|e| e.2).collect();
    bests.sort_unstable();
    let best = if bests.is_empty() {
        None
    } else {
        Some(bests[(bests.len() - 1) / 2])
    };
    let high = per_voice.iter().filter_map(|e| e.3).max();
    // Keep low <= best <= high; a vague word alone gives no high bound.
    let high = [high, best].into_iter().flatten().max();
    let low = low.map(|l| {
        [Some(l), best, high]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(l)
    });
    Estimate { low, best, high }
}

fn build_event(id: EventId, members: Vec<&SourcedIncident>) -> Event {
    let mut sources: Vec<EventSource> = members
        .iter()
        .map(|m| EventSource {
            document_id: m.source.document_id.clone(),
            outlet: m.source.outlet.clone(),
            published: m.source.published,
            index: m.index,
            reporter: m.incident.reported_by,
            voice: Voice::of(m.incident.reported_by, &m.source.outlet),
            incident: m.incident.clone(),
        })
        .collect();
    sources.sort_by(|a, b| (&a.document_id, a.index).cmp(&(&b.document_id, b.index)));

    let incs: Vec<&Incident> = sources.iter().map(|s| &s.incident).collect();
    let date = mode(incs.iter().filter_map(|i| i.date));
    let lo = incs.iter().filter_map(|i| i.date).min();
    let hi = incs.iter().filter_map(|i| i.date).max();
    let date_range = lo.zip(hi);
    let date_precision = if date.is_none() {
        DatePrecision::Unknown
    } else if incs.iter().all(|i| i.date_precision == DatePrecision::Day) {
        DatePrecision::Day
    } else if incs
        .iter()
        .any(|i| i.date_precision == DatePrecision::Unknown)
    {
        DatePrecision::Unknown
    } else {
        DatePrecision::Month
    };

    // Location: the most precise report; among equals, the most common place, then the first.
    let top = incs.iter().map(|i| geo_rank(i)).max().unwrap_or(0);
    let precise: Vec<&&Incident> = incs.iter().filter(|i| geo_rank(i) == top).collect();
    let loc_key = |i: &Incident| (i.place.clone(), i.admin1.clone(), i.country.clone());
    let chosen = mode(precise.iter().map(|i| loc_key(i)));
    let loc = chosen
        .as_ref()
        .and_then(|k| precise.iter().find(|i| &loc_key(i) == k))
        .map(|i| **i);
    let (place, admin1, country, lat, lon, geo_precision) = match loc {
        Some(i) => (
            i.place.clone(),
            i.admin1.clone(),
            i.country.clone(),
            i.lat,
            i.lon,
            i.geo_precision,
        ),
        None => (None, None, None, None, None, None),
    };

    let perpetrator = incs
        .iter()
        .map(|i| i.perpetrator)
        .find(|&p| p != Side::Unknown)
        .unwrap_or(Side::Unknown);

    let mut weapons: Vec<Weapon> = incs
        .iter()
        .flat_map(|i| i.weapons.iter().copied())
        .collect();
    weapons.sort();
    weapons.dedup();
    if weapons.len() > 1 {
        weapons.retain(|&w| w != Weapon::Unknown);
    }
    let mut targets: Vec<Target> = incs
        .iter()
        .flat_map(|i| i.targets.iter().copied())
        .collect();
    targets.sort();
    targets.dedup();
    if targets.len() > 1 {
        targets.retain(|&t| t != Target::Unknown);
    }

    let killed = estimate(sources.iter().map(|s| (&s.voice, &s.incident.killed)));
    let injured = estimate(sources.iter().map(|s| (&s.voice, &s.incident.injured)));
    let mut voices: Vec<Voice> = sources.iter().map(|s| s.voice.clone()).collect();
    voices.sort();
    voices.dedup();

    Event {
        id,
        date,
        date_precision,
        date_range,
        place,
        admin1,
        country,
        lat,
        lon,
        geo_precision,
        perpetrator,
        weapons,
        targets,
        killed,
        injured,
        sources,
        voices,
    }
}
