//! The ledger: what the log says so far (documents, records, agreements, the last verdict logged
//! for each (event, agreement) pair), rebuilt from log entries alone, and the verdicts it calls
//! for next.
//!
//! Ingest and replay share this one code path: ingest appends a batch's documents and records,
//! asks [`Ledger::evaluate`] which events changed and which verdicts are new or changed, and
//! appends those verdicts; replay walks the log, and at each run of verdict entries asks the same
//! question of the same state and compares the answers byte for byte. A verdict is logged again
//! only when its verdict, strength, reason or engine change.
//!
//! Evaluation is incremental. Incidents are merged into events as their records entry is
//! applied, one at a time in log order ([`Engine::add_incident`]): an incident joins an open
//! event or starts one, and events keep their ids as they grow. Only the events that gained a
//! member (and those a denial or a new agreement reaches) are judged again, and only verdicts
//! that changed are logged. Memory is bounded: an event is closed [`Engine::merge_window`]
//! documents after the one that started it (dropped from memory with its verdict fingerprints
//! and reviews: it is judged no more, and a later report of the same strike starts a new
//! event), the denials `judge` reads are those of the same window, and the ledger keeps
//! per document only a 16-byte fingerprint of its id (about 30 MB at 10^6 documents).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use truce_model::{Incident, NaiveDate, Statement};
use truce_wire::entry::{AgreementEntry, ENTRY_VERSION, Entry, VerdictEntry};

/// A document as the log describes it (what events need from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocInfo {
    pub id: String,
    pub index: u64,
    pub published: Option<NaiveDate>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// The outlet the input names (sidecar or JSONL `outlet`), if any.
    pub outlet: Option<String>,
    /// Read from a JSON Lines file (`source` is `path:line`).
    pub jsonl: bool,
}

/// An incident with the document that reports it and the log index of its records entry.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedIncident {
    pub incident: Incident,
    pub document: Arc<DocInfo>,
    pub records_index: u64,
    /// Position of the incident in its document's records (0-based).
    pub ord: u32,
}

/// A statement with its document and records entry.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedStatement {
    pub statement: Statement,
    pub document: Arc<DocInfo>,
    pub records_index: u64,
}

/// An event as the store keeps it: the columns it filters on, its merged content as JSON (the
/// events crate's wire form) and its member incidents as (document id, ord).
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub id: String,
    pub date: Option<NaiveDate>,
    pub place: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub perpetrator: truce_model::Side,
    pub targets: Vec<truce_model::Target>,
    pub payload: serde_json::Value,
    pub members: Vec<(String, u32)>,
}

/// What one evaluation found: events that are new or gained members (to store, replacing the
/// old row), events gone (none since events only grow; kept for sinks), and the verdicts the log
/// does not hold yet, in (event, agreement) order.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub added: Vec<EventRecord>,
    pub removed: Vec<String>,
    pub verdicts: Vec<VerdictEntry>,
}

/// An analyst's review of an event, as logged (see [`truce_wire::entry::ReviewEntry`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventReview {
    /// Log index of the review entry.
    pub index: u64,
    /// `verify`, `dispute` or `duplicate`.
    pub action: String,
    pub agreement: Option<String>,
    pub duplicate_of: Option<String>,
    pub author: String,
    pub reason: String,
}

/// The review actions the ledger accepts.
pub const REVIEW_ACTIONS: [&str; 3] = ["verify", "dispute", "duplicate"];

/// One verdict's content, before it names the entries it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub verdict: String,
    pub strength: Option<String>,
    pub reason: String,
}

/// The seam to the rules: merging incidents into events and judging events against agreements.
/// The real engine (truce-events + truce-verdict + truce-agreements) implements it.
pub trait Engine: Sync {
    type Agreement;
    type Event: Send;
    /// Open events being merged (incremental).
    type Merger: Send + Sync;
    /// The engine version every verdict names.
    fn version(&self) -> String;
    /// Parses an agreement's TOML: its id, the agreement, and its parsed content on the wire.
    fn parse_agreement(
        &self,
        toml: &str,
        origin: &str,
    ) -> Result<(String, Self::Agreement, serde_json::Value), String>;
    /// How many documents an event stays open for new members after the one that started it.
    fn merge_window(&self) -> u64;
    fn merger(&self) -> Self::Merger;
    /// Merges one incident (in log order; `tick` is the documents logged so far): returns the
    /// id of the event it joined or started. Ids never change as events grow.
    fn add_incident(
        &self,
        merger: &mut Self::Merger,
        incident: &SourcedIncident,
        tick: u64,
    ) -> String;
    /// The open event with this id as its members make it now.
    fn event(&self, merger: &Self::Merger, id: &str) -> Option<Self::Event>;
    /// Closes the events started before `tick`; returns their ids.
    fn close(&self, merger: &mut Self::Merger, tick: u64) -> Vec<String>;
    /// Ids of the open events with a member dated within `[from, to]`.
    fn events_dated(&self, merger: &Self::Merger, from: NaiveDate, to: NaiveDate) -> Vec<String>;
    /// Ids of every open event.
    fn open_events(&self, merger: &Self::Merger) -> Vec<String>;
    /// Judges events against agreements, knowing the statements it reads logged within the
    /// merge window: one judgement per agreement (in the order given) per event (in the order
    /// given).
    fn judge(
        &self,
        events: &[&Self::Event],
        agreements: &[&Self::Agreement],
        statements: &[SourcedStatement],
    ) -> Vec<Vec<Judgement>>;
    /// [`Engine::judge`] knowing the analysts' reviews of each event (`reviews[k]` are the
    /// reviews of `events[k]`, oldest first).
    fn judge_reviewed(
        &self,
        events: &[&Self::Event],
        agreements: &[&Self::Agreement],
        statements: &[SourcedStatement],
        reviews: &[&[EventReview]],
    ) -> Vec<Vec<Judgement>> {
        // An engine that reads no reviews judges as without them.
        let _ = reviews;
        self.judge(events, agreements, statements)
    }
    /// Does `judge` read this statement (published on `published`), and which events can it
    /// change the verdicts of beyond those of its own document? `None`: not read. `Some(range)`:
    /// read, and it reaches the events with an incident dated in `range` (if any).
    fn statement_reach(
        &self,
        statement: &Statement,
        published: Option<NaiveDate>,
    ) -> Option<Option<(NaiveDate, NaiveDate)>>;
    /// The event as the store keeps it.
    fn record(&self, id: &str, event: &Self::Event) -> EventRecord;
}

/// A bad log entry met while building the ledger.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("log entry {index}: {message}")]
    Entry { index: u64, message: String },
}

/// An agreement as logged: its entry index, the agreement and its TOML hash.
type Logged<A> = (u64, A, String);

/// What the log says so far.
pub struct Ledger<E: Engine> {
    size: u64,
    /// The first 16 bytes of every logged document's id (its SHA-256).
    seen: HashSet<u128>,
    /// Documents whose records entry has not come yet.
    pending: HashMap<String, Arc<DocInfo>>,
    documents: u64,
    incidents: u64,
    statements: u64,
    /// Agreement id -> (entry index, agreement, TOML hash).
    agreements: BTreeMap<String, Logged<E::Agreement>>,
    /// (open event, agreement) -> a fingerprint of the last verdict logged for it (verdict,
    /// strength, reason and engine; the ledger keeps no verdict text). Keyed by event id, then
    /// agreement (interned).
    last: HashMap<String, Vec<(u16, u64)>>,
    /// Agreement ids as interned for `last`.
    agreement_ids: Vec<String>,
    /// Logged verdicts whose engine is not this one (checked by [`Ledger::check_engine`]).
    other_engines: Vec<String>,
    verdicts_logged: u64,
    /// The open events.
    merger: E::Merger,
    /// Open event -> the records entries of its members (what its verdicts read).
    read: HashMap<String, Vec<u64>>,
    /// Events that gained members since the last evaluation.
    dirty: BTreeSet<String>,
    /// Every agreement changed since the last evaluation: judge every open event again.
    rejudge_all: bool,
    /// Date ranges whose events are to be judged again (a denial came in).
    rejudge_dates: Vec<(NaiveDate, NaiveDate)>,
    /// The statements `judge` reads (those with a reach), with their evidence text, kept for
    /// the merge window like events (oldest first).
    verdict_statements: Vec<SourcedStatement>,
    /// The document count when each of `verdict_statements` was logged.
    statement_ticks: Vec<u64>,
    /// Events started so far.
    events: u64,
    /// Open event -> its reviews, oldest first.
    reviews: HashMap<String, Vec<EventReview>>,
    /// Events a review reached since the last evaluation.
    reviewed: BTreeSet<String>,
}

impl<E: Engine> Ledger<E> {
    pub fn new(engine: &E) -> Self {
        Ledger {
            size: 0,
            seen: HashSet::new(),
            pending: HashMap::new(),
            documents: 0,
            incidents: 0,
            statements: 0,
            agreements: BTreeMap::new(),
            last: HashMap::new(),
            agreement_ids: Vec::new(),
            other_engines: Vec::new(),
            verdicts_logged: 0,
            merger: engine.merger(),
            read: HashMap::new(),
            dirty: BTreeSet::new(),
            rejudge_all: false,
            rejudge_dates: Vec::new(),
            verdict_statements: Vec::new(),
            statement_ticks: Vec::new(),
            events: 0,
            reviews: HashMap::new(),
            reviewed: BTreeSet::new(),
        }
    }

    /// Entries applied so far (the log size the ledger describes).
    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn has_document(&self, id: &str) -> bool {
        self.seen.contains(&doc_fingerprint(id))
    }

    pub fn documents(&self) -> usize {
        self.documents as usize
    }

    pub fn incidents(&self) -> usize {
        self.incidents as usize
    }

    pub fn statements(&self) -> usize {
        self.statements as usize
    }

    /// Events merged so far (open or closed).
    pub fn events(&self) -> usize {
        self.events as usize
    }

    /// Events still open to new reports (held in memory).
    pub fn open_events(&self) -> usize {
        self.read.len()
    }

    /// Whether the event with this id is open: held in memory, so a new report, agreement or
    /// review can still judge it again. False for an event closed by the merge window, and for
    /// ids the log never gave an event.
    pub fn is_open(&self, event: &str) -> bool {
        self.read.contains_key(event)
    }

    pub fn verdicts_logged(&self) -> u64 {
        self.verdicts_logged
    }

    /// The TOML hash of the agreement with this id, if logged.
    pub fn agreement_hash(&self, id: &str) -> Option<&str> {
        self.agreements.get(id).map(|(_, _, h)| h.as_str())
    }

    /// Applies the next entry (at index `self.size()`).
    pub fn apply(&mut self, engine: &E, entry: &Entry) -> Result<(), LedgerError> {
        let index = self.size;
        let bad = |message: String| LedgerError::Entry { index, message };
        match entry {
            Entry::Document(d) => {
                let published = match &d.published {
                    None => None,
                    Some(s) => Some(
                        NaiveDate::parse_from_str(s, "%Y-%m-%d")
                            .map_err(|_| bad(format!("field published: {s:?} is not a date")))?,
                    ),
                };
                let info = DocInfo {
                    id: d.id.clone(),
                    index,
                    published,
                    source: d.source.clone(),
                    url: d.url.clone(),
                    outlet: d.outlet.clone(),
                    jsonl: d.format == "jsonl",
                };
                if !self.seen.insert(doc_fingerprint(&d.id)) {
                    return Err(bad(format!("document {} is logged twice", d.id)));
                }
                self.pending.insert(d.id.clone(), Arc::new(info));
            }
            Entry::Records(r) => {
                let doc = self.pending.get(&r.document).cloned().ok_or_else(|| {
                    bad(format!(
                        "records for document {} before its document entry (or twice)",
                        r.document
                    ))
                })?;
                // Parse everything first so a bad entry changes nothing.
                let mut incidents = Vec::with_capacity(r.incidents.len());
                for p in &r.incidents {
                    let mut incident = p.to_model().map_err(|e| bad(e.to_string()))?;
                    // The ledger keeps what the rules read; the evidence text stays in the log.
                    incident.evidence.text = String::new();
                    incidents.push(incident);
                }
                let mut statements = Vec::with_capacity(r.statements.len());
                for p in &r.statements {
                    statements.push(p.to_model().map_err(|e| bad(e.to_string()))?);
                }
                self.pending.remove(&r.document);
                self.documents += 1;
                let tick = self.documents;
                for (ord, incident) in incidents.into_iter().enumerate() {
                    self.incidents += 1;
                    let sourced = SourcedIncident {
                        incident,
                        document: doc.clone(),
                        records_index: index,
                        ord: u32::try_from(ord).unwrap_or(u32::MAX),
                    };
                    let id = engine.add_incident(&mut self.merger, &sourced, tick);
                    let read = match self.read.get_mut(&id) {
                        Some(r) => r,
                        None => {
                            self.events += 1;
                            self.read.entry(id.clone()).or_default()
                        }
                    };
                    if read.last() != Some(&index) {
                        read.push(index);
                    }
                    self.dirty.insert(id);
                }
                for mut statement in statements {
                    self.statements += 1;
                    let reach = engine.statement_reach(&statement, doc.published);
                    match reach {
                        None => continue,
                        Some(None) => {}
                        Some(Some(range)) => self.rejudge_dates.push(range),
                    }
                    statement.evidence.text.shrink_to_fit();
                    self.verdict_statements.push(SourcedStatement {
                        statement,
                        document: doc.clone(),
                        records_index: index,
                    });
                    self.statement_ticks.push(tick);
                }
                // Close the events started before the merge window, and forget the statements
                // older than it (every quarter window, at most every 256 documents: at the same
                // log positions in ingest and replay).
                let window = engine.merge_window();
                let step = (window / 4).clamp(1, 256);
                if tick.is_multiple_of(step) && tick > window {
                    let old = self.statement_ticks.partition_point(|&t| t < tick - window);
                    self.statement_ticks.drain(..old);
                    self.verdict_statements.drain(..old);
                    for id in engine.close(&mut self.merger, tick - window) {
                        self.read.remove(&id);
                        self.last.remove(&id);
                        self.dirty.remove(&id);
                        self.reviews.remove(&id);
                        self.reviewed.remove(&id);
                    }
                }
            }
            Entry::Agreement(a) => {
                let (id, agreement, _) = engine
                    .parse_agreement(&a.toml, &format!("log entry {index}"))
                    .map_err(bad)?;
                if id != a.id {
                    return Err(bad(format!(
                        "agreement entry says id {:?} but its TOML says {id:?}",
                        a.id
                    )));
                }
                self.agreements
                    .insert(id, (index, agreement, a.toml_sha256.clone()));
                self.rejudge_all = true;
            }
            Entry::Review(r) => {
                if !REVIEW_ACTIONS.contains(&r.action.as_str()) {
                    return Err(bad(format!(
                        "field action: {:?} is not one of {}",
                        r.action,
                        REVIEW_ACTIONS.join(", ")
                    )));
                }
                // A review of an event no longer open is logged (and stored) but judges
                // nothing again: the ledger no longer holds the event.
                if self.read.contains_key(&r.event) {
                    self.reviews
                        .entry(r.event.clone())
                        .or_default()
                        .push(EventReview {
                            index,
                            action: r.action.clone(),
                            agreement: r.agreement.clone(),
                            duplicate_of: r.duplicate_of.clone(),
                            author: r.author.clone(),
                            reason: r.reason.clone(),
                        });
                    self.reviewed.insert(r.event.clone());
                }
            }
            Entry::Verdict(v) => {
                let fp = fingerprint(&v.verdict, v.strength.as_deref(), &v.reason, &v.engine);
                let a = self.intern(&v.agreement);
                // Verdicts of closed events are not kept (they can change no more).
                if let Some(slot) = self
                    .read
                    .contains_key(&v.event)
                    .then(|| self.last.entry(v.event.clone()).or_default())
                {
                    match slot.iter_mut().find(|(k, _)| *k == a) {
                        Some(x) => x.1 = fp,
                        None => slot.push((a, fp)),
                    }
                }
                if !self.other_engines.contains(&v.engine) {
                    self.other_engines.push(v.engine.clone());
                }
                self.verdicts_logged += 1;
            }
        }
        self.size += 1;
        Ok(())
    }

    /// After rebuilding from a log: judge every event again if some logged verdict names
    /// another engine version (an upgrade re-logs what changed).
    pub fn check_engine(&mut self, engine: &E) {
        let version = engine.version();
        if self.other_engines.iter().any(|e| *e != version) {
            self.rejudge_all = true;
        }
    }

    fn intern(&mut self, agreement: &str) -> u16 {
        match self.agreement_ids.iter().position(|a| a == agreement) {
            Some(i) => i as u16,
            None => {
                self.agreement_ids.push(agreement.to_string());
                (self.agreement_ids.len() - 1) as u16
            }
        }
    }

    fn last_fingerprint(&self, event: &str, agreement: &str) -> Option<u64> {
        let a = self.agreement_ids.iter().position(|x| x == agreement)? as u16;
        self.last
            .get(event)?
            .iter()
            .find(|(k, _)| *k == a)
            .map(|(_, f)| *f)
    }

    /// Judges the events that gained members since the last evaluation (and every open event
    /// if an agreement changed, or those a denial reaches) and returns the events to store and
    /// the verdicts the log does not hold yet.
    pub fn evaluate(&mut self, engine: &E) -> Evaluation {
        let all = std::mem::take(&mut self.rejudge_all);
        let ranges = std::mem::take(&mut self.rejudge_dates);
        let changed = std::mem::take(&mut self.dirty);
        let mut to_judge: BTreeSet<String> = changed.clone();
        to_judge.append(&mut self.reviewed);
        if all {
            to_judge.extend(engine.open_events(&self.merger));
        } else {
            for (from, to) in ranges {
                to_judge.extend(engine.events_dated(&self.merger, from, to));
            }
        }
        // Events built (and the changed ones written out) in parallel, kept in id order.
        let to_judge: Vec<String> = to_judge.into_iter().collect();
        let merger = &self.merger;
        let built: Vec<(String, E::Event, Option<EventRecord>)> = to_judge
            .into_par_iter()
            .filter_map(|id| {
                let event = engine.event(merger, &id)?;
                let record = changed.contains(&id).then(|| engine.record(&id, &event));
                Some((id, event, record))
            })
            .collect();
        let mut added = Vec::with_capacity(changed.len());
        let mut judged: Vec<(String, E::Event)> = Vec::with_capacity(built.len());
        for (id, event, record) in built {
            added.extend(record);
            judged.push((id, event));
        }
        let version = engine.version();
        let mut verdicts = Vec::new();
        if self.agreements.is_empty() || judged.is_empty() {
            return Evaluation {
                added,
                removed: Vec::new(),
                verdicts,
            };
        }
        let events: Vec<&E::Event> = judged.iter().map(|(_, e)| e).collect();
        let agreements: Vec<(&String, &Logged<E::Agreement>)> = self.agreements.iter().collect();
        let agreement_refs: Vec<&E::Agreement> = agreements.iter().map(|(_, a)| &a.1).collect();
        let no_reviews: Vec<EventReview> = Vec::new();
        let reviews: Vec<&[EventReview]> = judged
            .iter()
            .map(|(id, _)| self.reviews.get(id).unwrap_or(&no_reviews).as_slice())
            .collect();
        let judgements =
            engine.judge_reviewed(&events, &agreement_refs, &self.verdict_statements, &reviews);
        for ((id, _), row) in judged.iter().zip(judgements) {
            let empty = Vec::new();
            let mut read = self.read.get(id).unwrap_or(&empty).clone();
            read.extend(self.reviews.get(id).into_iter().flatten().map(|r| r.index));
            for ((agreement_id, (agreement_index, _, _)), judged) in agreements.iter().zip(row) {
                let fp = fingerprint(
                    &judged.verdict,
                    judged.strength.as_deref(),
                    &judged.reason,
                    &version,
                );
                if self.last_fingerprint(id, agreement_id) == Some(fp) {
                    continue;
                }
                let mut read = read.clone();
                read.push(*agreement_index);
                read.sort_unstable();
                read.dedup();
                verdicts.push(VerdictEntry {
                    v: ENTRY_VERSION,
                    event: id.clone(),
                    agreement: (*agreement_id).clone(),
                    verdict: judged.verdict,
                    strength: judged.strength,
                    reason: judged.reason,
                    engine: version.clone(),
                    read,
                });
            }
        }
        Evaluation {
            added,
            removed: Vec::new(),
            verdicts,
        }
    }

    /// Builds an agreement entry from a TOML file's text.
    pub fn agreement_entry(engine: &E, toml: &str, origin: &str) -> Result<AgreementEntry, String> {
        let (id, _, content) = engine.parse_agreement(toml, origin)?;
        Ok(AgreementEntry {
            v: ENTRY_VERSION,
            id,
            toml_sha256: crate::sha256_hex(toml.as_bytes()),
            toml: toml.to_string(),
            content,
        })
    }
}

/// 16 bytes of SHA-256 over a document id: what the ledger keeps to know a document is logged.
fn doc_fingerprint(id: &str) -> u128 {
    use sha2::Digest;
    let d = sha2::Sha256::digest(id.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    u128::from_le_bytes(b)
}

/// A fingerprint of a verdict's content (64 bits of SHA-256 over its fields).
fn fingerprint(verdict: &str, strength: Option<&str>, reason: &str, engine: &str) -> u64 {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for part in [verdict, strength.unwrap_or("\u{0}none"), reason, engine] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let d = h.finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    u64::from_le_bytes(b)
}

/// What [`crate::replay_verdicts`] found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplayReport {
    /// Entries read.
    pub entries: u64,
    /// Verdict entries recomputed and found byte-identical.
    pub verdicts_matched: u64,
    /// Every mismatch, naming the log index (empty when the replay agrees).
    pub mismatches: Vec<Mismatch>,
}

impl ReplayReport {
    pub fn ok(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// A logged verdict the replay does not reproduce (or one it expected and did not find).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Log index of the verdict entry (or the log size, for verdicts missing at the end).
    pub index: u64,
    /// The logged bytes (empty when missing).
    pub logged: String,
    /// The recomputed bytes (empty when the log holds a verdict the replay does not call for).
    pub expected: String,
}

/// Replays verdicts over entries given in log order from index 0 (see [`crate::replay_verdicts`]).
pub fn replay_with<E: Engine, I>(engine: &E, entries: I) -> Result<ReplayReport, LedgerError>
where
    I: IntoIterator<Item = Vec<u8>>,
{
    let mut ledger: Ledger<E> = Ledger::new(engine);
    let mut report = ReplayReport::default();
    // The verdicts expected for the current run of verdict entries, consumed in order.
    let mut expected: Option<std::collections::VecDeque<Vec<u8>>> = None;
    for bytes in entries {
        let index = ledger.size();
        let entry = Entry::from_bytes(&bytes).map_err(|e| LedgerError::Entry {
            index,
            message: e.to_string(),
        })?;
        match &entry {
            Entry::Verdict(_) => {
                let queue = expected.get_or_insert_with(|| {
                    ledger
                        .evaluate(engine)
                        .verdicts
                        .iter()
                        .map(|v| Entry::Verdict(v.clone()).to_canonical().unwrap_or_default())
                        .collect()
                });
                match queue.pop_front() {
                    Some(want) if want == bytes => report.verdicts_matched += 1,
                    Some(want) => report.mismatches.push(Mismatch {
                        index,
                        logged: String::from_utf8_lossy(&bytes).into_owned(),
                        expected: String::from_utf8_lossy(&want).into_owned(),
                    }),
                    None => report.mismatches.push(Mismatch {
                        index,
                        logged: String::from_utf8_lossy(&bytes).into_owned(),
                        expected: String::new(),
                    }),
                }
            }
            _ => {
                if let Some(rest) = expected.take() {
                    missing(&mut report, index, rest);
                }
            }
        }
        ledger.apply(engine, &entry)?;
    }
    let end = ledger.size();
    if let Some(rest) = expected.take() {
        missing(&mut report, end, rest);
    }
    // Whatever the final state still calls for was never logged.
    let still: Vec<Vec<u8>> = ledger
        .evaluate(engine)
        .verdicts
        .iter()
        .map(|v| Entry::Verdict(v.clone()).to_canonical().unwrap_or_default())
        .collect();
    missing(&mut report, end, still.into());
    report.entries = end;
    Ok(report)
}

fn missing(report: &mut ReplayReport, index: u64, rest: std::collections::VecDeque<Vec<u8>>) {
    for want in rest {
        report.mismatches.push(Mismatch {
            index,
            logged: String::new(),
            expected: String::from_utf8_lossy(&want).into_owned(),
        });
    }
}
