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

use std::collections::{BTreeMap, BTreeSet, HashMap};
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

struct Cached<Ev> {
    event: Ev,
    /// Log indices of the records entries its members come from, ascending.
    read: Vec<u64>,
    block: String,
    /// Dates of its members (empty for an undated singleton).
    dates: Vec<NaiveDate>,
}

/// What the log says so far.
pub struct Ledger<E: Engine> {
    size: u64,
    docs: HashMap<String, Arc<DocInfo>>,
    incidents: Vec<SourcedIncident>,
    statements: Vec<SourcedStatement>,
    /// Agreement id -> (entry index, agreement, TOML hash).
    agreements: BTreeMap<String, Logged<E::Agreement>>,
    /// (event, agreement) -> the last verdict logged for it and its engine (not its `read` list).
    last: HashMap<(String, String), (Judgement, String)>,
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
    events: HashMap<String, Cached<E::Event>>,
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
            verdicts_logged: 0,
            by_date: HashMap::new(),
            dirty: HashMap::new(),
            dirty_undated: Vec::new(),
            rejudge_all: false,
            rejudge_dates: Vec::new(),
            verdict_statements: Vec::new(),
            events: HashMap::new(),
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
                        None => self.dirty_undated.push(i),
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
                let judgement = Judgement {
                    verdict: v.verdict.clone(),
                    strength: v.strength.clone(),
                    reason: v.reason.clone(),
                };
                self.last.insert(
                    (v.event.clone(), v.agreement.clone()),
                    (judgement, v.engine.clone()),
                );
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
        if self.last.values().any(|(_, e)| *e != version) {
            self.rejudge_all = true;
        }
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
        // Dated islands.
        let dirty = std::mem::take(&mut self.dirty);
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
                // Events of the island as cached: drop them.
                let mut old: BTreeSet<String> = BTreeSet::new();
                for (d, _) in by_date.range(lo..=hi) {
                    if let Some(ids) = self.events_at.remove(&(block.clone(), *d)) {
                        old.extend(ids);
                    }
                }
                for id in &old {
                    self.events.remove(id);
                }
                let refs: Vec<&SourcedIncident> =
                    members.iter().map(|&i| &self.incidents[i]).collect();
                let merged = engine.merge(&refs, &self.statements);
                let mut fresh: Vec<(String, Cached<E::Event>)> = Vec::with_capacity(merged.len());
                for ev in merged {
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
                    if !old.remove(&ev.id) {
                        added.push(engine.record(&ev, &refs));
                    }
                    fresh.push((
                        ev.id.clone(),
                        Cached {
                            event: ev.event,
                            read,
                            block: block.clone(),
                            dates: evdates,
                        },
                    ));
                }
                removed.extend(old);
                for (id, c) in fresh {
                    for d in &c.dates {
                        self.events_at
                            .entry((c.block.clone(), *d))
                            .or_default()
                            .push(id.clone());
                    }
                    self.events.insert(id, c);
                }
            }
        }
        // Undated incidents: one event each.
        for i in std::mem::take(&mut self.dirty_undated) {
            let refs = [&self.incidents[i]];
            for ev in engine.merge(&refs, &self.statements) {
                let read = vec![self.incidents[i].records_index];
                added.push(engine.record(&ev, &refs));
                let block = engine.block(&self.incidents[i].incident);
                self.events.insert(
                    ev.id,
                    Cached {
                        event: ev.event,
                        read,
                        block,
                        dates: Vec::new(),
                    },
                );
            }
        }
        added.sort_by(|a, b| a.id.cmp(&b.id));
        added.dedup_by(|a, b| a.id == b.id);
        let removed: Vec<String> = removed
            .into_iter()
            .filter(|id| !self.events.contains_key(id))
            .collect();
        // Verdicts.
        let ranges = std::mem::take(&mut self.rejudge_dates);
        let to_judge: Vec<String> = if std::mem::take(&mut self.rejudge_all) {
            let mut all: Vec<String> = self.events.keys().cloned().collect();
            all.sort();
            all
        } else {
            let mut ids: BTreeSet<String> = added.iter().map(|e| e.id.clone()).collect();
            for (from, to) in ranges {
                for (block, dates) in &self.by_date {
                    for (d, _) in dates.range(from..=to) {
                        if let Some(at) = self.events_at.get(&(block.clone(), *d)) {
                            ids.extend(at.iter().cloned());
                        }
                    }
                }
            }
            ids.into_iter().collect()
        };
        let version = engine.version();
        let mut verdicts = Vec::new();
        if self.agreements.is_empty() || to_judge.is_empty() {
            return Evaluation {
                added,
                removed,
                verdicts,
            };
        }
        let judged_events: Vec<(&String, &Cached<E::Event>)> = to_judge
            .iter()
            .filter_map(|id| self.events.get(id).map(|c| (id, c)))
            .collect();
        let events: Vec<&E::Event> = judged_events.iter().map(|(_, c)| &c.event).collect();
        let agreements: Vec<(&String, &Logged<E::Agreement>)> = self.agreements.iter().collect();
        let agreement_refs: Vec<&E::Agreement> = agreements.iter().map(|(_, a)| &a.1).collect();
        let judgements = engine.judge(&events, &agreement_refs, &self.verdict_statements);
        for ((id, c), row) in judged_events.iter().zip(judgements) {
            for ((agreement_id, (agreement_index, _, _)), judged) in agreements.iter().zip(row) {
                let key = ((*id).clone(), (*agreement_id).clone());
                if self
                    .last
                    .get(&key)
                    .is_some_and(|(l, e)| *l == judged && *e == version)
                {
                    continue;
                }
                let mut read = c.read.clone();
                read.push(*agreement_index);
                read.sort_unstable();
                read.dedup();
                verdicts.push(VerdictEntry {
                    v: ENTRY_VERSION,
                    event: key.0,
                    agreement: key.1,
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
