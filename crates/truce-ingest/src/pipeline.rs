//! The ingest pipeline: read, hash, skip what the log holds, code in parallel, and commit each
//! batch (documents, records, log entries, verdicts) atomically through a [`Sink`].
//!
//! One sequencer: a batch is coded outside any lock; then the ledger catches up with entries
//! other processes appended, documents another process committed meanwhile are dropped, the
//! batch's entries are built on that log size, and [`Sink::commit`] writes them only if the log
//! still has that size (else the ledger rolls back, catches up and the batch is rebuilt).

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;
use truce_model::{CodedDocument, DocumentMeta};
use truce_wire::entry::{AgreementEntry, DocumentEntry, Entry, RecordsEntry, VerdictEntry};

use crate::input::{InputError, RawDoc, Reader};
use crate::ledger::{Engine, Evaluation, EventRecord, Ledger, LedgerError};

/// The coder's seam: codes one document whose id (SHA-256 hex of its text) is given.
pub trait Coding: Sync {
    fn code(&self, doc: &RawDoc, id: &str) -> CodedDocument;
}

/// A document of a batch, coded, with the log indices of its two entries.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub raw: RawDoc,
    pub coded: CodedDocument,
    pub document_index: u64,
    pub records_index: u64,
}

/// Everything one batch commits, atomically.
#[derive(Debug)]
pub struct Commit<'a> {
    /// Log size the batch extends.
    pub old_size: u64,
    /// The batch's log entries (canonical JSON), for indices `old_size..`.
    pub entries: &'a [Vec<u8>],
    pub documents: &'a [NewDocument],
    /// Agreements logged by this batch, with their log index.
    pub agreements: &'a [(u64, AgreementEntry)],
    /// Verdicts logged by this batch, with their log index.
    pub verdicts: &'a [(u64, VerdictEntry)],
    /// Events that are new or whose members changed.
    pub events: &'a [EventRecord],
    /// Events merged away (their ids are gone).
    pub deleted_events: &'a [String],
}

/// The store and log seam. Sequencing is optimistic: a batch is built on the log size the
/// ledger has seen, and [`Sink::commit`] writes it only if the log still has that size, under the
/// store's sequencer lock (one sequencer across every ingest process).
pub trait Sink {
    type Error: std::error::Error + Send + Sync + 'static;
    /// The log's current size.
    fn log_size(&mut self) -> Result<u64, Self::Error>;
    /// The log entries `[from, to)`, in order.
    fn entries(&mut self, from: u64, to: u64) -> Result<Vec<Vec<u8>>, Self::Error>;
    /// Under the sequencer lock: if the log has size `commit.old_size`, writes the batch
    /// atomically and durably (rows, log entries, tiles, signed checkpoint) and returns true;
    /// else writes nothing and returns false. On error nothing of the batch is visible.
    fn commit(&mut self, commit: &Commit<'_>) -> Result<bool, Self::Error>;
}

/// An ingest failure that stops the run (bad inputs do not: they are reported and counted).
#[derive(Debug, thiserror::Error)]
pub enum IngestError<S: std::error::Error + 'static> {
    #[error("store: {0}")]
    Store(#[source] S),
    #[error("the log is unreadable: {0}")]
    Ledger(#[from] LedgerError),
    #[error("agreement {origin}: {message}")]
    Agreement { origin: String, message: String },
}

/// Counts for the summary printed at the end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Documents read (good inputs).
    pub read: u64,
    /// Documents coded and committed by this run.
    pub new: u64,
    /// Documents the log already held (or repeated within the input).
    pub skipped: u64,
    /// Bad inputs (reported with file and line).
    pub failed: u64,
    /// Input bytes read.
    pub bytes: u64,
    /// Incidents and statements coded in the new documents.
    pub incidents: u64,
    pub statements: u64,
    /// Agreements logged by this run.
    pub agreements: u64,
    /// Events in the store after the run (as merged by the engine).
    pub events: u64,
    /// Verdict entries logged by this run.
    pub verdicts: u64,
    /// Log size after the run.
    pub log_size: u64,
    /// Batches committed.
    pub batches: u64,
}

/// One committed batch, for acknowledgements and progress.
#[derive(Debug, Clone)]
pub struct BatchReport<'a> {
    /// Ids of the documents this batch committed.
    pub committed: Vec<&'a str>,
    /// Ids of the documents of this batch the log already held.
    pub skipped: Vec<String>,
    pub log_size: u64,
}

/// What the caller wants to hear about as the run goes (all optional).
pub trait Observer {
    fn input_error(&mut self, _error: &InputError) {}
    /// Called after each batch is durably committed.
    fn committed(&mut self, _batch: &BatchReport<'_>) {}
    /// Documents read so far and input bytes.
    fn progress(&mut self, _docs: u64, _bytes: u64) {}
}

/// An observer that ignores everything.
pub struct Quiet;
impl Observer for Quiet {}

/// Settings of a run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Documents per batch (per atomic commit).
    pub batch_size: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { batch_size: 512 }
    }
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d {
        s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    s
}

/// An ingest run: the engine, the coder, the sink and the ledger rebuilt from the sink's log.
pub struct Ingest<'a, E: Engine, C: Coding, S: Sink> {
    engine: &'a E,
    coder: &'a C,
    sink: S,
    ledger: Ledger<E>,
    options: Options,
    summary: Summary,
    pending_agreements: Vec<AgreementEntry>,
}

impl<'a, E: Engine, C: Coding, S: Sink> Ingest<'a, E, C, S> {
    /// Opens a run over a sink, rebuilding the ledger from its log.
    pub fn open(
        engine: &'a E,
        coder: &'a C,
        mut sink: S,
        options: Options,
    ) -> Result<Self, IngestError<S::Error>> {
        let mut ledger = Ledger::new();
        let size = sink.log_size().map_err(IngestError::Store)?;
        catch_up(engine, &mut sink, &mut ledger, size)?;
        ledger.check_engine(engine);
        Ok(Ingest {
            engine,
            coder,
            sink,
            ledger,
            options,
            summary: Summary::default(),
            pending_agreements: Vec::new(),
        })
    }

    pub fn ledger(&self) -> &Ledger<E> {
        &self.ledger
    }

    pub fn into_sink(self) -> S {
        self.sink
    }

    /// Queues an agreement's TOML to be logged with the next batch (skipped if the log holds
    /// the same TOML for that id already).
    pub fn add_agreement(
        &mut self,
        toml: &str,
        origin: &str,
    ) -> Result<bool, IngestError<S::Error>> {
        let entry = Ledger::agreement_entry(self.engine, toml, origin).map_err(|message| {
            IngestError::Agreement {
                origin: origin.to_string(),
                message,
            }
        })?;
        if self.ledger.agreement_hash(&entry.id) == Some(entry.toml_sha256.as_str())
            || self
                .pending_agreements
                .iter()
                .any(|a| a.id == entry.id && a.toml_sha256 == entry.toml_sha256)
        {
            return Ok(false);
        }
        self.pending_agreements.push(entry);
        Ok(true)
    }

    /// Reads, codes and commits everything under `paths`; returns the summary.
    pub fn run(
        &mut self,
        paths: &[PathBuf],
        observer: &mut dyn Observer,
    ) -> Result<Summary, IngestError<S::Error>> {
        let reader = Reader::new(paths);
        self.run_docs(reader, observer)
    }

    /// Ingests documents from any source of read results (files, JSONL, a report submitted
    /// over HTTP...).
    pub fn run_docs<I>(
        &mut self,
        docs: I,
        observer: &mut dyn Observer,
    ) -> Result<Summary, IngestError<S::Error>>
    where
        I: IntoIterator<Item = Result<RawDoc, InputError>>,
    {
        let mut it = docs.into_iter();
        let mut any = false;
        loop {
            let mut batch = Vec::with_capacity(self.options.batch_size);
            for r in it.by_ref() {
                match r {
                    Ok(d) => {
                        self.summary.read += 1;
                        self.summary.bytes += d.text.len() as u64;
                        batch.push(d);
                        if batch.len() >= self.options.batch_size {
                            break;
                        }
                    }
                    Err(e) => {
                        self.summary.failed += 1;
                        observer.input_error(&e);
                    }
                }
            }
            if batch.is_empty() && (any || self.pending_agreements.is_empty()) {
                break;
            }
            any = true;
            self.batch(batch, observer)?;
            observer.progress(self.summary.read, self.summary.bytes);
        }
        if !any {
            // Nothing new to read: still log verdicts the state calls for (an engine upgrade).
            self.batch(Vec::new(), observer)?;
        }
        self.summary.log_size = self.ledger.size();
        self.summary.events = self.ledger.events() as u64;
        Ok(self.summary.clone())
    }

    fn batch(
        &mut self,
        docs: Vec<RawDoc>,
        observer: &mut dyn Observer,
    ) -> Result<(), IngestError<S::Error>> {
        // Hash in parallel, drop repeats within the batch and what the log holds.
        let ids: Vec<String> = docs
            .par_iter()
            .map(|d| sha256_hex(d.text.as_bytes()))
            .collect();
        let mut seen = HashSet::new();
        let mut skipped = Vec::new();
        let mut todo = Vec::with_capacity(docs.len());
        for (d, id) in docs.into_iter().zip(ids) {
            if self.ledger.has_document(&id) || !seen.insert(id.clone()) {
                skipped.push(id);
            } else {
                todo.push((d, id));
            }
        }
        // Code in parallel, outside the sequencer lock.
        let coder = self.coder;
        let mut coded: Vec<(RawDoc, CodedDocument)> = todo
            .into_par_iter()
            .map(|(d, id)| {
                let mut c = coder.code(&d, &id);
                c.document.id = id;
                (d, c)
            })
            .collect();

        loop {
            let old_size = self.sink.log_size().map_err(IngestError::Store)?;
            if old_size != self.ledger.size() {
                catch_up(self.engine, &mut self.sink, &mut self.ledger, old_size)?;
            }
            let mut rejected = Vec::new();
            let built = self.sequence(&mut coded, &mut skipped, &mut rejected);
            let (entries, documents, agreements, verdicts, evaluation) = match built {
                Ok(x) => x,
                Err(e) => {
                    self.rebuild();
                    return Err(e);
                }
            };
            for e in &rejected {
                self.summary.failed += 1;
                observer.input_error(e);
            }
            if entries.is_empty() {
                self.summary.skipped += skipped.len() as u64;
                observer.committed(&BatchReport {
                    committed: Vec::new(),
                    skipped,
                    log_size: old_size,
                });
                return Ok(());
            }
            let commit = Commit {
                old_size,
                entries: &entries,
                documents: &documents,
                agreements: &agreements,
                verdicts: &verdicts,
                events: &evaluation.added,
                deleted_events: &evaluation.removed,
            };
            match self.sink.commit(&commit) {
                Err(e) => {
                    self.rebuild();
                    return Err(IngestError::Store(e));
                }
                Ok(false) => {
                    // Another process appended first: rebuild the ledger and the batch.
                    self.rebuild();
                    coded = documents.into_iter().map(|d| (d.raw, d.coded)).collect();
                    continue;
                }
                Ok(true) => {}
            }
            self.pending_agreements.clear();
            self.summary.batches += 1;
            self.summary.new += documents.len() as u64;
            self.summary.skipped += skipped.len() as u64;
            self.summary.agreements += agreements.len() as u64;
            self.summary.verdicts += verdicts.len() as u64;
            for d in &documents {
                self.summary.incidents += d.coded.incidents.len() as u64;
                self.summary.statements += d.coded.statements.len() as u64;
            }
            let committed = documents
                .iter()
                .map(|d| d.coded.document.id.as_str())
                .collect();
            observer.committed(&BatchReport {
                committed,
                skipped,
                log_size: self.ledger.size(),
            });
            return Ok(());
        }
    }

    /// Rebuilds the ledger from the log (after a refused or failed commit advanced it).
    fn rebuild(&mut self) {
        let mut ledger = Ledger::new();
        let ok = match self.sink.log_size() {
            Ok(size) => catch_up(self.engine, &mut self.sink, &mut ledger, size).is_ok(),
            Err(_) => false,
        };
        if ok {
            self.ledger = ledger;
        } else {
            // The store is unreachable: leave a ledger that holds nothing, so the next batch
            // catches up from the start (or fails the same way).
            self.ledger = Ledger::new();
        }
    }

    /// Drops what others committed, builds the batch's entries and advances the ledger over
    /// them (tentatively: the caller keeps or rolls back).
    #[allow(clippy::type_complexity)]
    fn sequence(
        &mut self,
        coded: &mut Vec<(RawDoc, CodedDocument)>,
        skipped: &mut Vec<String>,
        rejected: &mut Vec<InputError>,
    ) -> Result<
        (
            Vec<Vec<u8>>,
            Vec<NewDocument>,
            Vec<(u64, AgreementEntry)>,
            Vec<(u64, VerdictEntry)>,
            Evaluation,
        ),
        IngestError<S::Error>,
    > {
        let ledger = &self.ledger;
        let (gone, keep): (Vec<_>, Vec<_>) = std::mem::take(coded)
            .into_iter()
            .partition(|(_, c)| ledger.has_document(&c.document.id));
        skipped.extend(gone.into_iter().map(|(_, c)| c.document.id));
        let mut entries = Vec::new();
        let mut agreements = Vec::new();
        let mut documents = Vec::with_capacity(keep.len());
        let push = |ledger: &mut Ledger<E>,
                    entries: &mut Vec<Vec<u8>>,
                    e: Entry|
         -> Result<u64, LedgerError> {
            let index = ledger.size();
            let bytes = e.to_canonical().map_err(|err| LedgerError::Entry {
                index,
                message: err.to_string(),
            })?;
            ledger.apply(self.engine, &e)?;
            entries.push(bytes);
            Ok(index)
        };
        for a in self.pending_agreements.clone() {
            if self.ledger.agreement_hash(&a.id) == Some(a.toml_sha256.as_str()) {
                continue;
            }
            let i = push(&mut self.ledger, &mut entries, Entry::Agreement(a.clone()))?;
            agreements.push((i, a));
        }
        for (raw, mut coded) in keep {
            fill_meta(&mut coded.document, &raw);
            let doc =
                DocumentEntry::from_meta(&coded.document, raw.text.len() as u64, raw.format_name());
            let records = match records_entry(&coded) {
                Ok(r) => r,
                Err(message) => {
                    rejected.push(InputError {
                        path: PathBuf::from(&raw.source),
                        line: None,
                        message,
                    });
                    continue;
                }
            };
            let document_index = push(&mut self.ledger, &mut entries, Entry::Document(doc))?;
            let records_index = push(&mut self.ledger, &mut entries, records)?;
            documents.push(NewDocument {
                raw,
                coded,
                document_index,
                records_index,
            });
        }
        let mut verdicts = Vec::new();
        let mut evaluation = self.ledger.evaluate(self.engine);
        for v in std::mem::take(&mut evaluation.verdicts) {
            let i = push(&mut self.ledger, &mut entries, Entry::Verdict(v.clone()))?;
            verdicts.push((i, v));
        }
        Ok((entries, documents, agreements, verdicts, evaluation))
    }
}

/// A document's records entry; evidence texts are left out (offsets kept) when the entry would
/// pass the log's entry size limit, and a document whose records still do not fit is refused.
fn records_entry(coded: &CodedDocument) -> Result<Entry, String> {
    let limit = truce_tlog::tile::MAX_ENTRY_LEN;
    let mut r = RecordsEntry::from_coded(coded);
    let fits = |r: &RecordsEntry| -> Result<bool, String> {
        let bytes = Entry::Records(r.clone())
            .to_canonical()
            .map_err(|e| e.to_string())?;
        Ok(bytes.len() <= limit)
    };
    if fits(&r)? {
        return Ok(Entry::Records(r));
    }
    for i in &mut r.incidents {
        i.evidence.text.clear();
    }
    for s in &mut r.statements {
        s.evidence.text.clear();
    }
    if fits(&r)? {
        return Ok(Entry::Records(r));
    }
    Err(format!(
        "its {} incidents and {} statements do not fit in one log entry ({limit} bytes)",
        r.incidents.len(),
        r.statements.len()
    ))
}

/// The metadata the reader knows wins over what the coder guessed.
fn fill_meta(meta: &mut DocumentMeta, raw: &RawDoc) {
    if raw.published.is_some() {
        meta.published = raw.published;
    }
    if let Some(l) = &raw.language {
        meta.language = l.clone();
    }
    if meta.language.is_empty() {
        meta.language = "und".to_string();
    }
    if raw.url.is_some() {
        meta.url = raw.url.clone();
    }
    meta.source = Some(raw.source.clone());
}

fn catch_up<E: Engine, S: Sink>(
    engine: &E,
    sink: &mut S,
    ledger: &mut Ledger<E>,
    size: u64,
) -> Result<(), IngestError<S::Error>> {
    const CHUNK: u64 = 4096;
    while ledger.size() < size {
        let from = ledger.size();
        let to = (from + CHUNK).min(size);
        let entries = sink.entries(from, to).map_err(IngestError::Store)?;
        if entries.len() as u64 != to - from {
            return Err(IngestError::Ledger(LedgerError::Entry {
                index: from,
                message: format!(
                    "the store returned {} entries for [{from}, {to})",
                    entries.len()
                ),
            }));
        }
        for bytes in entries {
            let index = ledger.size();
            let e = Entry::from_bytes(&bytes).map_err(|e| LedgerError::Entry {
                index,
                message: e.to_string(),
            })?;
            ledger.apply(engine, &e)?;
        }
    }
    Ok(())
}
