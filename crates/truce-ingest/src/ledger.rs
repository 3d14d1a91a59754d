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
//! Evaluation is incremental. Events never join incidents of different blocks (countries), and
//! join only incidents whose dates chain with gaps of at most [`Engine::link_days`]; so the
//! incidents of one block split into date islands (runs of dates with no larger gap), and merging
//! each island alone gives the same events as merging everything. A batch re-merges only the
//! islands its incidents touch, and re-judges only the events that changed (all events when an
//! agreement changed).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

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

/// What one evaluation found: events that appeared (new ids), events gone, and the verdicts the
/// log does not hold yet, in (event, agreement) order.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub added: Vec<EventRecord>,
    pub removed: Vec<String>,
    pub verdicts: Vec<VerdictEntry>,
}

/// An event as the engine merged it: its id and the incidents (indices into the slice given)
/// it merges.
#[derive(Debug, Clone)]
pub struct MergedEvent<E> {
    pub id: String,
    pub event: E,
    pub members: Vec<usize>,
}

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
    type Event;
    /// The engine version every verdict names.
    fn version(&self) -> String;
    /// Parses an agreement's TOML: its id, the agreement, and its parsed content on the wire.
    fn parse_agreement(
        &self,
        toml: &str,
        origin: &str,
    ) -> Result<(String, Self::Agreement, serde_json::Value), String>;
    /// Incidents of different blocks never merge into one event.
    fn block(&self, incident: &Incident) -> String;
    /// Incidents merge only along chains of dates at most this many days apart.
    fn link_days(&self) -> i64;
    /// Merges incidents (with the statements known) into events.
    fn merge(
        &self,
        incidents: &[&SourcedIncident],
        statements: &[SourcedStatement],
    ) -> Vec<MergedEvent<Self::Event>>;
    /// Judges events against agreements, knowing every statement logged: one judgement per
    /// agreement (in the order given) per event (in the order given).
    fn judge(
        &self,
        events: &[&Self::Event],
        agreements: &[&Self::Agreement],
        statements: &[SourcedStatement],
    ) -> Vec<Vec<Judgement>>;
    /// Does `judge` read this statement (published on `published`), and which events can it
    /// change the verdicts of beyond those of its own document? `None`: not read. `Some(range)`:
    /// read, and it reaches the events with an incident dated in `range` (if any).
    fn statement_reach(
        &self,
        statement: &Statement,
        published: Option<NaiveDate>,
    ) -> Option<Option<(NaiveDate, NaiveDate)>>;
    /// The event as the store keeps it (`incidents` is the slice given to `merge`).
    fn record(
        &self,
        event: &MergedEvent<Self::Event>,
        incidents: &[&SourcedIncident],
    ) -> EventRecord;
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
    docs: HashMap<String, Arc<DocInfo>>,
    incidents: Vec<SourcedIncident>,
    statements: Vec<SourcedStatement>,
    /// Agreement id -> (entry index, agreement, TOML hash).
    agreements: BTreeMap<String, Logged<E::Agreement>>,
    /// (event, agreement) -> the last verdict logged for it and its engine (not its `read` list).
    /// Keyed by event id, then agreement (interned); the value is a fingerprint of the verdict,
    /// strength, reason and engine (the ledger keeps no verdict text).
    last: HashMap<String, Vec<(u16, u64)>>,
    /// Agreement ids as interned for `last`.
    agreement_ids: Vec<String>,
    /// Logged verdicts whose engine is not this one (checked by [`Ledger::check_engine`]).
    other_engines: Vec<String>,
    verdicts_logged: u64,
    /// Block -> date -> dated incidents.
    by_date: HashMap<String, BTreeMap<NaiveDate, Vec<usize>>>,
    /// Dates touched since the last evaluation, per block.
    dirty: HashMap<String, BTreeSet<NaiveDate>>,
    /// Undated incidents added since the last evaluation (each is its own event).
    dirty_undated: Vec<usize>,
    /// Every agreement changed since the last evaluation: judge every event again.
    rejudge_all: bool,
    /// Date ranges whose events are to be judged again (a denial came in).
    rejudge_dates: Vec<(NaiveDate, NaiveDate)>,
    /// The statements `judge` reads (those with a reach), with their evidence text.
    verdict_statements: Vec<SourcedStatement>,
    /// Ids of the events as of the last evaluation (an event is rebuilt by merging its island
    /// again when it must be judged again).
    events: HashSet<String>,
    /// Every undated incident (each is its own event).
    undated: Vec<usize>,
    /// (block, date) -> ids of the events with a member on that date.
    events_at: HashMap<(String, NaiveDate), Vec<String>>,
}

impl<E: Engine> Default for Ledger<E> {
    fn default() -> Self {
        Ledger {
            size: 0,
            docs: HashMap::new(),
            incidents: Vec::new(),
            statements: Vec::new(),
            agreements: BTreeMap::new(),
            last: HashMap::new(),
            agreement_ids: Vec::new(),
            other_engines: Vec::new(),
            verdicts_logged: 0,
            by_date: HashMap::new(),
            dirty: HashMap::new(),
            dirty_undated: Vec::new(),
            rejudge_all: false,
            rejudge_dates: Vec::new(),
            verdict_statements: Vec::new(),
            events: HashSet::new(),
            undated: Vec::new(),
            events_at: HashMap::new(),
        }
    }
}

impl<E: Engine> Ledger<E> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Entries applied so far (the log size the ledger describes).
    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn has_document(&self, id: &str) -> bool {
        self.docs.contains_key(id)
    }

    pub fn documents(&self) -> usize {
        self.docs.len()
    }

    pub fn incidents(&self) -> usize {
        self.incidents.len()
    }

    pub fn statements(&self) -> usize {
        self.statements.len()
    }

    /// Events as of the last evaluation.
    pub fn events(&self) -> usize {
        self.events.len()
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
                };
                if self.docs.contains_key(&d.id) {
                    return Err(bad(format!("document {} is logged twice", d.id)));
                }
                self.docs.insert(d.id.clone(), Arc::new(info));
            }
            Entry::Records(r) => {
                let doc = self.docs.get(&r.document).cloned().ok_or_else(|| {
                    bad(format!(
                        "records for document {} before its document entry",
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
                for (ord, incident) in incidents.into_iter().enumerate() {
                    let i = self.incidents.len();
                    match incident.date {
                        Some(d) => {
                            let block = engine.block(&incident);
                            self.by_date
                                .entry(block.clone())
                                .or_default()
                                .entry(d)
                                .or_default()
                                .push(i);
                            self.dirty.entry(block).or_default().insert(d);
                        }
                        None => {
                            self.dirty_undated.push(i);
                            self.undated.push(i);
                        }
                    }
                    self.incidents.push(SourcedIncident {
                        incident,
                        document: doc.clone(),
                        records_index: index,
                        ord: u32::try_from(ord).unwrap_or(u32::MAX),
                    });
                }
                for mut statement in statements {
                    let reach = engine.statement_reach(&statement, doc.published);
                    match reach {
                        None => statement.evidence.text = String::new(),
                        Some(None) => {}
                        Some(Some(range)) => self.rejudge_dates.push(range),
                    }
                    if reach.is_some() {
                        self.verdict_statements.push(SourcedStatement {
                            statement: statement.clone(),
                            document: doc.clone(),
                            records_index: index,
                        });
                        statement.evidence.text = String::new();
                    }
                    self.statements.push(SourcedStatement {
                        statement,
                        document: doc.clone(),
                        records_index: index,
                    });
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
            Entry::Verdict(v) => {
                let fp = fingerprint(&v.verdict, v.strength.as_deref(), &v.reason, &v.engine);
                let a = self.intern(&v.agreement);
                let slot = self.last.entry(v.event.clone()).or_default();
                match slot.iter_mut().find(|(k, _)| *k == a) {
                    Some(x) => x.1 = fp,
                    None => slot.push((a, fp)),
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

    /// The dates of the island around `d` in `dates` (runs with gaps of at most `link` days).
    fn island(
        dates: &BTreeMap<NaiveDate, Vec<usize>>,
        d: NaiveDate,
        link: i64,
    ) -> (NaiveDate, NaiveDate) {
        let mut lo = d;
        while let Some((&p, _)) = dates.range(..lo).next_back() {
            if (lo - p).num_days() > link {
                break;
            }
            lo = p;
        }
        let mut hi = d;
        while let Some((&n, _)) = dates.range(hi.succ_opt().unwrap_or(hi)..).next() {
            if n <= hi || (n - hi).num_days() > link {
                break;
            }
            hi = n;
        }
        (lo, hi)
    }

    /// Re-merges the islands touched since the last evaluation, judges the events that changed
    /// (every event if an agreement changed) and returns what changed and the verdicts the log
    /// does not hold yet.
    pub fn evaluate(&mut self, engine: &E) -> Evaluation {
        let link = engine.link_days().max(0);
        let mut added: Vec<EventRecord> = Vec::new();
        let mut removed: BTreeSet<String> = BTreeSet::new();
        // Events to judge: new ones, and every event of an island a denial (or a new
        // agreement) reaches; the islands are merged again to get them.
        let all = std::mem::take(&mut self.rejudge_all);
        let ranges = std::mem::take(&mut self.rejudge_dates);
        let mut dirty = std::mem::take(&mut self.dirty);
        let mut judge_dates: BTreeSet<(String, NaiveDate)> = BTreeSet::new();
        for (block, dates) in &self.by_date {
            let mut mark = |d: NaiveDate| {
                dirty.entry(block.clone()).or_default().insert(d);
                judge_dates.insert((block.clone(), d));
            };
            if all {
                dates.keys().for_each(|&d| mark(d));
            } else {
                for &(from, to) in &ranges {
                    dates.range(from..=to).for_each(|(&d, _)| mark(d));
                }
            }
        }
        if all {
            self.dirty_undated = self.undated.clone();
        }
        let mut to_judge: Vec<(String, E::Event, Vec<u64>)> = Vec::new();
        let mut blocks: Vec<(String, BTreeSet<NaiveDate>)> = dirty.into_iter().collect();
        blocks.sort();
        for (block, dates) in blocks {
            let Some(by_date) = self.by_date.get(&block) else {
                continue;
            };
            let mut islands: Vec<(NaiveDate, NaiveDate)> = Vec::new();
            for d in dates {
                if islands.last().is_some_and(|&(_, hi)| d <= hi) {
                    continue;
                }
                islands.push(Self::island(by_date, d, link));
            }
            for (lo, hi) in islands {
                let members: Vec<usize> = by_date
                    .range(lo..=hi)
                    .flat_map(|(_, v)| v.iter().copied())
                    .collect();
                let rejudge = by_date
                    .range(lo..=hi)
                    .any(|(d, _)| judge_dates.contains(&(block.clone(), *d)));
                // Events of the island as cached: drop them.
                let mut old: BTreeSet<String> = BTreeSet::new();
                for (d, _) in by_date.range(lo..=hi) {
                    if let Some(ids) = self.events_at.remove(&(block.clone(), *d)) {
                        old.extend(ids);
                    }
                }
                for id in &old {
                    self.events.remove(id.as_str());
                }
                let refs: Vec<&SourcedIncident> =
                    members.iter().map(|&i| &self.incidents[i]).collect();
                for ev in engine.merge(&refs, &self.statements) {
                    let mut read: Vec<u64> = ev
                        .members
                        .iter()
                        .filter_map(|&m| refs.get(m).map(|s| s.records_index))
                        .collect();
                    read.sort_unstable();
                    read.dedup();
                    let mut evdates: Vec<NaiveDate> = ev
                        .members
                        .iter()
                        .filter_map(|&m| refs.get(m).and_then(|s| s.incident.date))
                        .collect();
                    evdates.sort_unstable();
                    evdates.dedup();
                    let new = !old.remove(&ev.id);
                    if new {
                        added.push(engine.record(&ev, &refs));
                    }
                    for d in evdates {
                        self.events_at
                            .entry((block.clone(), d))
                            .or_default()
                            .push(ev.id.clone());
                    }
                    self.events.insert(ev.id.clone());
                    if new || rejudge {
                        to_judge.push((ev.id, ev.event, read));
                    }
                }
                removed.extend(old);
            }
        }
        // Undated incidents: one event each.
        for i in std::mem::take(&mut self.dirty_undated) {
            let refs = [&self.incidents[i]];
            for ev in engine.merge(&refs, &self.statements) {
                let read = vec![self.incidents[i].records_index];
                let new = self.events.insert(ev.id.clone());
                if new {
                    added.push(engine.record(&ev, &refs));
                }
                if new || all {
                    to_judge.push((ev.id, ev.event, read));
                }
            }
        }
        added.sort_by(|a, b| a.id.cmp(&b.id));
        added.dedup_by(|a, b| a.id == b.id);
        let removed: Vec<String> = removed
            .into_iter()
            .filter(|id| !self.events.contains(id))
            .collect();
        // Verdicts, in (event, agreement) order.
        to_judge.sort_by(|a, b| a.0.cmp(&b.0));
        to_judge.dedup_by(|a, b| a.0 == b.0);
        let version = engine.version();
        let mut verdicts = Vec::new();
        if self.agreements.is_empty() || to_judge.is_empty() {
            return Evaluation {
                added,
                removed,
                verdicts,
            };
        }
        let events: Vec<&E::Event> = to_judge.iter().map(|(_, e, _)| e).collect();
        let agreements: Vec<(&String, &Logged<E::Agreement>)> = self.agreements.iter().collect();
        let agreement_refs: Vec<&E::Agreement> = agreements.iter().map(|(_, a)| &a.1).collect();
        let judgements = engine.judge(&events, &agreement_refs, &self.verdict_statements);
        for ((id, _, read), row) in to_judge.iter().zip(judgements) {
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
            removed,
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
    let mut ledger: Ledger<E> = Ledger::new();
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
