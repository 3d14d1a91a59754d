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
use truce_wire::entry::{
    AgreementEntry, DocumentEntry, Entry, RecordsEntry, ReviewEntry, VerdictEntry,
};

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
    /// Analysts' reviews logged by this batch, with their log index.
    pub reviews: &'a [(u64, ReviewEntry)],
    /// Events that are new or whose members changed.
    pub events: &'a [EventRecord],
    /// Events merged away (their ids are gone).
    pub deleted_events: &'a [String],
}

/// The store and log seam. Sequencing is optimistic: a batch is built on the log size the
/// ledger has seen, and [`Sink::commit`] writes it only if the log still has that size, under the
/// store's sequencer lock (one sequencer across every ingest process).
pub trait Sink: Send {
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
        Options { batch_size: 2048 }
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
    pending_reviews: Vec<ReviewEntry>,
}

impl<'a, E: Engine, C: Coding, S: Sink> Ingest<'a, E, C, S> {
    /// Opens a run over a sink, rebuilding the ledger from its log.
    pub fn open(
        engine: &'a E,
        coder: &'a C,
        mut sink: S,
        options: Options,
    ) -> Result<Self, IngestError<S::Error>> {
        let mut ledger = Ledger::new(engine);
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
            pending_reviews: Vec::new(),
        })
    }

    /// Opens a run over a sink with a ledger an earlier run over the same log left
    /// ([`Ingest::into_ledger`]; a server keeps one between writes): it catches up on the
    /// entries other processes appended since, instead of replaying the whole log. A log
    /// shorter than the ledger (another store, or a store emptied) is replayed from the start.
    pub fn resume(
        engine: &'a E,
        coder: &'a C,
        mut sink: S,
        options: Options,
        mut ledger: Ledger<E>,
    ) -> Result<Self, IngestError<S::Error>> {
        let size = sink.log_size().map_err(IngestError::Store)?;
        let fresh = size < ledger.size() || ledger.size() == 0;
        if size < ledger.size() {
            ledger = Ledger::new(engine);
        }
        catch_up(engine, &mut sink, &mut ledger, size)?;
        if fresh {
            ledger.check_engine(engine);
        }
        Ok(Ingest {
            engine,
            coder,
            sink,
            ledger,
            options,
            summary: Summary::default(),
            pending_agreements: Vec::new(),
            pending_reviews: Vec::new(),
        })
    }

    pub fn ledger(&self) -> &Ledger<E> {
        &self.ledger
    }

    /// The ledger as the run left it (after an error, rebuilt from the log or empty), to
    /// [`Ingest::resume`] the next run with.
    pub fn into_ledger(self) -> Ledger<E> {
        self.ledger
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

    /// Queues an analyst's review to be logged with the next batch (run [`Ingest::run_docs`]
    /// with no documents to log it alone); the verdicts it changes follow it in the same batch.
    pub fn add_review(&mut self, review: ReviewEntry) {
        self.pending_reviews.push(review);
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
        // Three stages overlap: while a committer thread writes batch N to the store, the main
        // thread sequences batch N+1 on the ledger (as if N committed: if N's commit is refused
        // or fails, the ledger is rebuilt from the store and N+1 is sequenced again), and a
        // coder thread (with the rayon pool) codes batch N+2.
        let size = self.sink.log_size().map_err(IngestError::Store)?;
        if size != self.ledger.size() {
            catch_up(self.engine, &mut self.sink, &mut self.ledger, size)?;
        }
        let first = self.read_batch(&mut it, observer);
        let (todo, skipped) = self.select(first);
        let mut current = Some((prepare(self.coder, todo), skipped));
        let mut in_flight: Option<Built> = None;
        let mut reading = true;
        while reading || current.is_some() || in_flight.is_some() {
            let raw = if reading {
                self.read_batch(&mut it, observer)
            } else {
                Vec::new()
            };
            reading = !raw.is_empty();
            let got = reading;
            let (todo, next_skipped) = self.select(raw);
            let coder = self.coder;
            let engine = self.engine;
            let Ingest {
                sink,
                ledger,
                pending_agreements,
                pending_reviews,
                ..
            } = &mut *self;
            let (committed, built, next) = std::thread::scope(|scope| {
                let worker = (!todo.is_empty()).then(|| scope.spawn(move || prepare(coder, todo)));
                let committer = in_flight.as_ref().map(|b| {
                    let sink = &mut *sink;
                    scope.spawn(move || sink.commit(&b.commit()))
                });
                let built = current.take().map(|(prepared, skipped)| {
                    let reviews = std::mem::take(pending_reviews);
                    build(
                        engine,
                        ledger,
                        pending_agreements,
                        reviews,
                        prepared,
                        skipped,
                    )
                });
                let committed = committer.map(|h| h.join());
                let next = worker.map(|h| h.join());
                (committed, built, next)
            });
            let next = match next {
                None if got => Some((Vec::new(), next_skipped)),
                None => None,
                Some(Ok(p)) => Some((p, next_skipped)),
                Some(Err(panic)) => std::panic::resume_unwind(panic),
            };
            let built = match built {
                None => None,
                Some(Ok(b)) => Some(b),
                Some(Err(e)) => {
                    self.rebuild();
                    return Err(e);
                }
            };
            match committed {
                None => {}
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                Some(Ok(Ok(true))) => {
                    if let Some(done) = in_flight.take() {
                        self.account(done, observer);
                    }
                }
                Some(Ok(Ok(false))) => {
                    // Another process appended first: rebuild the ledger, then commit what was
                    // in flight and what was sequenced after it, one by one.
                    self.rebuild();
                    for b in [in_flight.take(), built].into_iter().flatten() {
                        let (prepared, skipped, reviews) = b.into_prepared();
                        self.pending_reviews.extend(reviews);
                        self.commit_batch(prepared, skipped, observer)?;
                    }
                    current = next;
                    continue;
                }
                Some(Ok(Err(e))) => {
                    self.rebuild();
                    return Err(IngestError::Store(e));
                }
            }
            if let Some(b) = built {
                if b.entries.is_empty() {
                    self.account(b, observer);
                } else {
                    in_flight = Some(b);
                }
            }
            current = next;
            observer.progress(self.summary.read, self.summary.bytes);
        }
        self.summary.log_size = self.ledger.size();
        self.summary.events = self.ledger.events() as u64;
        Ok(self.summary.clone())
    }

    /// Reads up to a batch of documents, reporting bad inputs.
    fn read_batch<I>(&mut self, it: &mut I, observer: &mut dyn Observer) -> Vec<RawDoc>
    where
        I: Iterator<Item = Result<RawDoc, InputError>>,
    {
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
        batch
    }

    /// Hashes in parallel and drops repeats within the batch and what the log holds.
    fn select(&self, docs: Vec<RawDoc>) -> (Vec<(RawDoc, String)>, Vec<String>) {
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
        (todo, skipped)
    }

    /// Counts a committed (or entirely skipped) batch and tells the observer.
    fn account(&mut self, b: Built, observer: &mut dyn Observer) {
        for e in &b.rejected {
            self.summary.failed += 1;
            observer.input_error(e);
        }
        self.summary.skipped += b.skipped.len() as u64;
        if b.entries.is_empty() {
            observer.committed(&BatchReport {
                committed: Vec::new(),
                skipped: b.skipped,
                log_size: b.old_size,
            });
            return;
        }
        self.pending_agreements.retain(|p| {
            !b.agreements
                .iter()
                .any(|(_, a)| a.id == p.id && a.toml_sha256 == p.toml_sha256)
        });
        self.summary.batches += 1;
        self.summary.new += b.documents.len() as u64;
        self.summary.agreements += b.agreements.len() as u64;
        self.summary.verdicts += b.verdicts.len() as u64;
        for d in &b.documents {
            self.summary.incidents += d.coded.incidents.len() as u64;
            self.summary.statements += d.coded.statements.len() as u64;
        }
        let committed = b
            .documents
            .iter()
            .map(|d| d.coded.document.id.as_str())
            .collect();
        let log_size = b.old_size + b.entries.len() as u64;
        observer.committed(&BatchReport {
            committed,
            skipped: b.skipped.clone(),
            log_size,
        });
    }

    /// Sequences and commits one prepared batch on its own (after a conflict), retrying on a
    /// log size conflict.
    fn commit_batch(
        &mut self,
        mut prepared: Vec<Prepared>,
        mut skipped: Vec<String>,
        observer: &mut dyn Observer,
    ) -> Result<(), IngestError<S::Error>> {
        loop {
            let old_size = self.sink.log_size().map_err(IngestError::Store)?;
            if old_size != self.ledger.size() {
                catch_up(self.engine, &mut self.sink, &mut self.ledger, old_size)?;
            }
            let built = match build(
                self.engine,
                &mut self.ledger,
                &self.pending_agreements,
                std::mem::take(&mut self.pending_reviews),
                prepared,
                skipped,
            ) {
                Ok(b) => b,
                Err(e) => {
                    self.rebuild();
                    return Err(e);
                }
            };
            if built.entries.is_empty() {
                self.account(built, observer);
                return Ok(());
            }
            match self.sink.commit(&built.commit()) {
                Err(e) => {
                    self.rebuild();
                    return Err(IngestError::Store(e));
                }
                Ok(false) => {
                    self.rebuild();
                    let reviews;
                    (prepared, skipped, reviews) = built.into_prepared();
                    self.pending_reviews.extend(reviews);
                }
                Ok(true) => {
                    self.account(built, observer);
                    return Ok(());
                }
            }
        }
    }

    /// Rebuilds the ledger from the log (after a refused or failed commit advanced it).
    fn rebuild(&mut self) {
        let mut ledger = Ledger::new(self.engine);
        let ok = match self.sink.log_size() {
            Ok(size) => catch_up(self.engine, &mut self.sink, &mut ledger, size).is_ok(),
            Err(_) => false,
        };
        if ok {
            self.ledger = ledger;
        } else {
            // The store is unreachable: leave a ledger that holds nothing, so the next batch
            // catches up from the start (or fails the same way).
            self.ledger = Ledger::new(self.engine);
        }
    }
}

/// A batch sequenced on the ledger, ready to commit.
struct Built {
    old_size: u64,
    entries: Vec<Vec<u8>>,
    documents: Vec<NewDocument>,
    agreements: Vec<(u64, AgreementEntry)>,
    verdicts: Vec<(u64, VerdictEntry)>,
    reviews: Vec<(u64, ReviewEntry)>,
    evaluation: Evaluation,
    skipped: Vec<String>,
    rejected: Vec<InputError>,
}

impl Built {
    fn commit(&self) -> Commit<'_> {
        Commit {
            old_size: self.old_size,
            entries: &self.entries,
            documents: &self.documents,
            agreements: &self.agreements,
            verdicts: &self.verdicts,
            reviews: &self.reviews,
            events: &self.evaluation.added,
            deleted_events: &self.evaluation.removed,
        }
    }

    /// Back to documents (and reviews) to sequence again (after a conflict).
    fn into_prepared(self) -> (Vec<Prepared>, Vec<String>, Vec<ReviewEntry>) {
        (
            self.documents.into_iter().map(Prepared::from).collect(),
            self.skipped,
            self.reviews.into_iter().map(|(_, r)| r).collect(),
        )
    }
}

/// Drops what the log holds, applies the batch's entries to the ledger, evaluates, and builds
/// the verdict entries.
fn build<E: Engine, SE: std::error::Error + 'static>(
    engine: &E,
    ledger: &mut Ledger<E>,
    pending_agreements: &[AgreementEntry],
    pending_reviews: Vec<ReviewEntry>,
    prepared: Vec<Prepared>,
    mut skipped: Vec<String>,
) -> Result<Built, IngestError<SE>> {
    let old_size = ledger.size();
    let mut entries = Vec::new();
    let mut agreements = Vec::new();
    let mut documents = Vec::with_capacity(prepared.len());
    let mut rejected = Vec::new();
    let push = |ledger: &mut Ledger<E>,
                entries: &mut Vec<Vec<u8>>,
                e: &Entry,
                bytes: Option<Vec<u8>>|
     -> Result<u64, LedgerError> {
        let index = ledger.size();
        let bytes = match bytes {
            Some(b) => b,
            None => e.to_canonical().map_err(|err| LedgerError::Entry {
                index,
                message: err.to_string(),
            })?,
        };
        ledger.apply(engine, e)?;
        entries.push(bytes);
        Ok(index)
    };
    for a in pending_agreements {
        if ledger.agreement_hash(&a.id) == Some(a.toml_sha256.as_str()) {
            continue;
        }
        let i = push(ledger, &mut entries, &Entry::Agreement(a.clone()), None)?;
        agreements.push((i, a.clone()));
    }
    let mut reviews = Vec::with_capacity(pending_reviews.len());
    for r in pending_reviews {
        let e = Entry::Review(r);
        let i = push(ledger, &mut entries, &e, None)?;
        if let Entry::Review(r) = e {
            reviews.push((i, r));
        }
    }
    for p in prepared {
        let id = p.coded.document.id.clone();
        if ledger.has_document(&id) {
            skipped.push(id);
            continue;
        }
        let (records, records_bytes) = match p.records {
            Ok(r) => r,
            Err(message) => {
                rejected.push(InputError {
                    path: PathBuf::from(&p.raw.source),
                    line: None,
                    message,
                });
                continue;
            }
        };
        let document_index = push(ledger, &mut entries, &p.document.0, Some(p.document.1))?;
        let records_index = push(ledger, &mut entries, &records, Some(records_bytes))?;
        documents.push(NewDocument {
            raw: p.raw,
            coded: p.coded,
            document_index,
            records_index,
        });
    }
    let mut verdicts = Vec::new();
    let mut evaluation = ledger.evaluate(engine);
    // The verdicts' canonical bytes in parallel, then sequenced in order.
    let pending: Vec<Entry> = std::mem::take(&mut evaluation.verdicts)
        .into_iter()
        .map(Entry::Verdict)
        .collect();
    let bytes: Vec<Result<Vec<u8>, String>> = pending
        .par_iter()
        .map(|e| e.to_canonical().map_err(|err| err.to_string()))
        .collect();
    for (e, b) in pending.into_iter().zip(bytes) {
        let b = b.map_err(|message| LedgerError::Entry {
            index: ledger.size(),
            message,
        })?;
        let i = push(ledger, &mut entries, &e, Some(b))?;
        if let Entry::Verdict(v) = e {
            verdicts.push((i, v));
        }
    }
    Ok(Built {
        old_size,
        entries,
        documents,
        agreements,
        verdicts,
        reviews,
        evaluation,
        skipped,
        rejected,
    })
}

/// A coded document with its two log entries, built in parallel before sequencing.
pub struct Prepared {
    raw: RawDoc,
    coded: CodedDocument,
    document: (Entry, Vec<u8>),
    /// The records entry, or why the document cannot be logged.
    records: Result<(Entry, Vec<u8>), String>,
}

impl Prepared {
    fn new(raw: RawDoc, mut coded: CodedDocument, id: String) -> Prepared {
        coded.document.id = id;
        fill_meta(&mut coded.document, &raw);
        let mut entry =
            DocumentEntry::from_meta(&coded.document, raw.text.len() as u64, raw.format_name());
        entry.outlet = raw.outlet.clone();
        let doc = Entry::Document(entry);
        let doc_bytes = doc.to_canonical();
        let records = records_entry(&coded);
        match doc_bytes {
            Ok(b) => Prepared {
                raw,
                coded,
                document: (doc, b),
                records,
            },
            Err(e) => Prepared {
                raw,
                coded,
                document: (doc, Vec::new()),
                records: Err(e.to_string()),
            },
        }
    }
}

impl From<NewDocument> for Prepared {
    fn from(d: NewDocument) -> Prepared {
        let id = d.coded.document.id.clone();
        Prepared::new(d.raw, d.coded, id)
    }
}

/// Codes documents in parallel and builds their entries.
fn prepare<C: Coding>(coder: &C, todo: Vec<(RawDoc, String)>) -> Vec<Prepared> {
    todo.into_par_iter()
        .map(|(d, id)| {
            let c = coder.code(&d, &id);
            Prepared::new(d, c, id)
        })
        .collect()
}

/// A document's records entry and its bytes; evidence texts are left out (offsets kept) when
/// the entry would pass the log's entry size limit, and a document whose records still do not
/// fit is refused.
fn records_entry(coded: &CodedDocument) -> Result<(Entry, Vec<u8>), String> {
    let limit = truce_tlog::tile::MAX_ENTRY_LEN;
    let mut r = RecordsEntry::from_coded(coded);
    let bytes = Entry::Records(r.clone())
        .to_canonical()
        .map_err(|e| e.to_string())?;
    if bytes.len() <= limit {
        return Ok((Entry::Records(r), bytes));
    }
    for i in &mut r.incidents {
        i.evidence.text.clear();
    }
    for s in &mut r.statements {
        s.evidence.text.clear();
    }
    let bytes = Entry::Records(r.clone())
        .to_canonical()
        .map_err(|e| e.to_string())?;
    if bytes.len() <= limit {
        return Ok((Entry::Records(r), bytes));
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
