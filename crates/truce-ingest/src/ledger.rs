//! The ledger: what the log says so far (documents, records, agreements, the last verdict logged
//! for each (event, agreement) pair), rebuilt from log entries alone, and the verdicts it calls
//! for next.
//!
//! Ingest and replay share this one code path: ingest appends a batch's documents and records,
//! asks [`Ledger::pending_verdicts`] which verdicts are new or changed, and appends those; replay
//! walks the log, and at each run of verdict entries asks the same question of the same state and
//! compares the answers byte for byte. A verdict is logged again only when its verdict, strength,
//! reason or engine change, so a growing event does not re-log its verdicts every batch.

use std::collections::{BTreeMap, HashMap};
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

/// The events of the current state, and the verdicts the log does not hold yet.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub events: Vec<EventRecord>,
    pub verdicts: Vec<VerdictEntry>,
}

/// A statement with its document and records entry.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedStatement {
    pub statement: Statement,
    pub document: Arc<DocInfo>,
    pub records_index: u64,
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
/// The real engine (truce-events + truce-verdict + truce-agreements) implements it; so could an
/// older engine version replaying an older log.
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
    /// Merges incidents (with the statements known, for denials) into events.
    fn merge(
        &self,
        incidents: &[SourcedIncident],
        statements: &[SourcedStatement],
    ) -> Vec<MergedEvent<Self::Event>>;
    /// Judges one event against one agreement.
    fn judge(&self, event: &Self::Event, agreement: &Self::Agreement) -> Judgement;
    /// The event as the store keeps it (`incidents` is the slice given to `merge`).
    fn record(
        &self,
        event: &MergedEvent<Self::Event>,
        incidents: &[SourcedIncident],
    ) -> EventRecord;
}

/// A bad log entry met while building the ledger.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("log entry {index}: {message}")]
    Entry { index: u64, message: String },
}

/// What the log says so far.
pub struct Ledger<E: Engine> {
    size: u64,
    docs: HashMap<String, Arc<DocInfo>>,
    incidents: Vec<SourcedIncident>,
    statements: Vec<SourcedStatement>,
    /// Agreement id -> (entry index, agreement, TOML hash).
    agreements: BTreeMap<String, (u64, E::Agreement, String)>,
    /// (event, agreement) -> the last verdict logged for it and its engine (not its `read` list).
    last: HashMap<(String, String), (Judgement, String)>,
    verdicts_logged: u64,
    /// Undo records since [`Ledger::mark`], while a batch is tentative.
    journal: Option<Vec<Undo<E::Agreement>>>,
}

enum Undo<A> {
    Document(String),
    Agreement(String, Option<(u64, A, String)>),
    Verdict((String, String), Option<(Judgement, String)>),
}

/// A point to roll the ledger back to (see [`Ledger::mark`]).
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    size: u64,
    incidents: usize,
    statements: usize,
    verdicts_logged: u64,
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
            journal: None,
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
                if self.docs.insert(d.id.clone(), Arc::new(info)).is_some() {
                    return Err(bad(format!("document {} is logged twice", d.id)));
                }
                if let Some(j) = &mut self.journal {
                    j.push(Undo::Document(d.id.clone()));
                }
            }
            Entry::Records(r) => {
                let doc = self.docs.get(&r.document).cloned().ok_or_else(|| {
                    bad(format!(
                        "records for document {} before its document entry",
                        r.document
                    ))
                })?;
                for (ord, p) in r.incidents.iter().enumerate() {
                    let ord = u32::try_from(ord).unwrap_or(u32::MAX);
                    let mut incident = p.to_model().map_err(|e| bad(e.to_string()))?;
                    // The ledger keeps what the rules read; the evidence text stays in the log.
                    incident.evidence.text = String::new();
                    self.incidents.push(SourcedIncident {
                        incident,
                        document: doc.clone(),
                        records_index: index,
                        ord,
                    });
                }
                for p in &r.statements {
                    let mut statement = p.to_model().map_err(|e| bad(e.to_string()))?;
                    statement.evidence.text = String::new();
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
                let old = self
                    .agreements
                    .insert(id.clone(), (index, agreement, a.toml_sha256.clone()));
                if let Some(j) = &mut self.journal {
                    j.push(Undo::Agreement(id, old));
                }
            }
            Entry::Verdict(v) => {
                let key = (v.event.clone(), v.agreement.clone());
                let old = self.last.insert(
                    key.clone(),
                    (
                        Judgement {
                            verdict: v.verdict.clone(),
                            strength: v.strength.clone(),
                            reason: v.reason.clone(),
                        },
                        v.engine.clone(),
                    ),
                );
                if let Some(j) = &mut self.journal {
                    j.push(Undo::Verdict(key, old));
                }
                self.verdicts_logged += 1;
            }
        }
        self.size += 1;
        Ok(())
    }

    /// The number of events the engine merges the ledger's incidents into.
    pub fn events(&self, engine: &E) -> usize {
        if self.incidents.is_empty() {
            0
        } else {
            engine.merge(&self.incidents, &self.statements).len()
        }
    }

    /// Starts a tentative batch: entries applied from now on can be undone by [`Ledger::rollback`]
    /// (when the store refuses the batch) or kept by [`Ledger::keep`].
    pub fn mark(&mut self) -> Mark {
        self.journal = Some(Vec::new());
        Mark {
            size: self.size,
            incidents: self.incidents.len(),
            statements: self.statements.len(),
            verdicts_logged: self.verdicts_logged,
        }
    }

    /// Keeps what was applied since the mark.
    pub fn keep(&mut self) {
        self.journal = None;
    }

    /// Undoes everything applied since `mark`.
    pub fn rollback(&mut self, mark: Mark) {
        for u in self.journal.take().unwrap_or_default().into_iter().rev() {
            match u {
                Undo::Document(id) => {
                    self.docs.remove(&id);
                }
                Undo::Agreement(id, old) => match old {
                    Some(o) => {
                        self.agreements.insert(id, o);
                    }
                    None => {
                        self.agreements.remove(&id);
                    }
                },
                Undo::Verdict(key, old) => match old {
                    Some(o) => {
                        self.last.insert(key, o);
                    }
                    None => {
                        self.last.remove(&key);
                    }
                },
            }
        }
        self.incidents.truncate(mark.incidents);
        self.statements.truncate(mark.statements);
        self.verdicts_logged = mark.verdicts_logged;
        self.size = mark.size;
    }

    /// Skips an entry whose content the ledger does not need (keeps indices right).
    pub fn skip(&mut self) {
        self.size += 1;
    }

    /// The verdicts the current state calls for that the log does not hold yet (new pairs, or a
    /// changed verdict, strength, reason or engine), in (event, agreement) order.
    pub fn pending_verdicts(&self, engine: &E) -> Vec<VerdictEntry> {
        if self.agreements.is_empty() || self.incidents.is_empty() {
            return Vec::new();
        }
        self.evaluate(engine, false).verdicts
    }

    /// The events of the current state (when `with_events`) and the pending verdicts.
    pub fn evaluate(&self, engine: &E, with_events: bool) -> Evaluation {
        if self.incidents.is_empty() {
            return Evaluation::default();
        }
        let version = engine.version();
        let mut events = engine.merge(&self.incidents, &self.statements);
        events.sort_by(|a, b| a.id.cmp(&b.id));
        let records = if with_events {
            events
                .iter()
                .map(|e| engine.record(e, &self.incidents))
                .collect()
        } else {
            Vec::new()
        };
        let mut out = Vec::new();
        for ev in &events {
            let mut read: Vec<u64> = ev
                .members
                .iter()
                .filter_map(|&i| self.incidents.get(i).map(|s| s.records_index))
                .collect();
            read.sort_unstable();
            read.dedup();
            for (agreement_id, (agreement_index, agreement, _)) in &self.agreements {
                let j = engine.judge(&ev.event, agreement);
                let key = (ev.id.clone(), agreement_id.clone());
                let reason = j.reason.clone();
                let judged = Judgement {
                    verdict: j.verdict,
                    strength: j.strength,
                    reason,
                };
                if self
                    .last
                    .get(&key)
                    .is_some_and(|(l, e)| *l == judged && *e == version)
                {
                    continue;
                }
                let mut r = read.clone();
                r.push(*agreement_index);
                r.sort_unstable();
                r.dedup();
                out.push(VerdictEntry {
                    v: ENTRY_VERSION,
                    event: key.0,
                    agreement: key.1,
                    verdict: judged.verdict,
                    strength: judged.strength,
                    reason: judged.reason,
                    engine: version.clone(),
                    read: r,
                });
            }
        }
        Evaluation {
            events: records,
            verdicts: out,
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
                        .pending_verdicts(engine)
                        .iter()
                        .map(|v| Entry::Verdict(v.clone()).to_canonical())
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
        .pending_verdicts(engine)
        .iter()
        .map(|v| Entry::Verdict(v.clone()).to_canonical())
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
