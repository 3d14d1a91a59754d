//! The [`Sink`] over truce-store: one store batch (transaction) per ingest batch holding the
//! documents, records, events, agreements, verdicts and the log's append (entries, tiles, signed
//! checkpoint), behind the store's sequencer lock.
//!
//! Also the log's signing key: [`log_signer`] asks the store for it (created on first use).

use std::path::Path;

use truce_note::Signer;
use truce_store::{AgreementRow, BatchLog, EventRow, RecordKey, Store, StoreError, VerdictRow};
use truce_tlog::{Log, LogError, tile};

use crate::pipeline::{Commit, Sink};

/// Why the store sink failed.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("log: {0}")]
    Log(#[from] LogError),
    #[error("the store holds document {0} that its log does not: the store and its log disagree")]
    Orphan(String),
    #[error("entry bundle {0} is missing or malformed")]
    Bundle(u64),
}

/// The log's signer (the store's key file, created on first use). A new log is named
/// `$TRUCE_LOG_ORIGIN`, else [`truce_store::DEFAULT_LOG_ORIGIN`].
pub fn log_signer(store: &dyn Store) -> Result<Signer, SinkError> {
    let origin = std::env::var("TRUCE_LOG_ORIGIN")
        .unwrap_or_else(|_| truce_store::DEFAULT_LOG_ORIGIN.to_string());
    Ok(store.log_signer(&origin)?)
}

/// Reads `[from, to)` of a store's log from its entry bundles.
pub fn read_entries(store: &dyn Store, from: u64, to: u64) -> Result<Vec<Vec<u8>>, SinkError> {
    let mut out = Vec::with_capacity(to.saturating_sub(from) as usize);
    let mut n = from;
    while n < to {
        let index = n / 256;
        let data = store.entry_bundle(index)?.ok_or(SinkError::Bundle(index))?;
        let entries = tile::parse_bundle(&data).map_err(|_| SinkError::Bundle(index))?;
        let first = (n % 256) as usize;
        let last = ((to - index * 256).min(256)) as usize;
        if entries.len() < last {
            return Err(SinkError::Bundle(index));
        }
        out.extend(entries[first..last].iter().map(|e| e.to_vec()));
        n = index * 256 + last as u64;
    }
    Ok(out)
}

/// A sink writing to a truce store.
pub struct StoreSink<'s> {
    store: &'s dyn Store,
    signer: Signer,
    author: String,
}

impl<'s> StoreSink<'s> {
    /// `author` goes into the store's audit trail.
    pub fn new(store: &'s dyn Store, signer: Signer, author: &str) -> Self {
        StoreSink {
            store,
            signer,
            author: author.to_string(),
        }
    }
}

fn event_row(e: &crate::ledger::EventRecord) -> EventRow {
    EventRow {
        id: e.id.clone(),
        date: e.date,
        place: e.place.clone(),
        admin1: e.admin1.clone(),
        country: e.country.clone(),
        lat: e.lat,
        lon: e.lon,
        perpetrator: e.perpetrator,
        targets: e.targets.clone(),
        payload: e.payload.to_string(),
        members: e
            .members
            .iter()
            .map(|(d, o)| RecordKey::new(d.clone(), *o))
            .collect(),
        updated_at: 0,
    }
}

impl Sink for StoreSink<'_> {
    type Error = SinkError;

    fn log_size(&mut self) -> Result<u64, SinkError> {
        Ok(self.store.log_size()?)
    }

    fn entries(&mut self, from: u64, to: u64) -> Result<Vec<Vec<u8>>, SinkError> {
        read_entries(self.store, from, to)
    }

    fn commit(&mut self, c: &Commit<'_>) -> Result<bool, SinkError> {
        let mut b = self.store.begin(&self.author)?;
        if b.lock_log()? != c.old_size {
            b.rollback()?;
            return Ok(false);
        }
        for (_, a) in c.agreements {
            let title = a
                .content
                .get("title")
                .and_then(|t| t.as_str())
                .unwrap_or("")
                .to_string();
            b.put_agreement(&AgreementRow {
                id: a.id.clone(),
                title,
                toml: a.toml.clone(),
                summary: a.content.to_string(),
                updated_at: 0,
            })?;
        }
        // Bulk writes: documents with their records, events, verdicts, a few statements each.
        let docs: Vec<truce_store::NewDocument<'_>> = c
            .documents
            .iter()
            .map(|d| truce_store::NewDocument {
                meta: &d.coded.document,
                text: &d.raw.text,
                incidents: &d.coded.incidents,
                statements: &d.coded.statements,
            })
            .collect();
        let fresh = b.put_documents(&docs)?;
        if let Some(k) = fresh.iter().position(|f| !f) {
            let id = c.documents.get(k).map(|d| d.coded.document.id.clone());
            return Err(SinkError::Orphan(id.unwrap_or_default()));
        }
        for id in c.deleted_events {
            b.delete_event(id)?;
        }
        let events: Vec<EventRow> = c.events.iter().map(event_row).collect();
        b.put_events(&events)?;
        let verdicts: Vec<VerdictRow> = c
            .verdicts
            .iter()
            .map(|(_, v)| VerdictRow {
                event: v.event.clone(),
                agreement: v.agreement.clone(),
                verdict: v.verdict.clone(),
                strength: v.strength.clone(),
                reason: v.reason.clone(),
                engine: v.engine.clone(),
                entries: v.read.clone(),
                updated_at: 0,
            })
            .collect();
        b.put_verdicts(&verdicts)?;
        for (_, r) in c.reviews {
            let note = if r.reason.is_empty() {
                r.action.clone()
            } else {
                r.reason.clone()
            };
            b.add_review(&truce_store::NewReview {
                event: r.event.clone(),
                action: r.action.parse()?,
                note,
            })?;
        }
        {
            let mut log = Log::open(BatchLog(&mut *b), self.signer.clone())?;
            let range = log.append_batch(c.entries)?;
            if range.start != c.old_size {
                return Err(SinkError::Log(LogError::Inconsistent(format!(
                    "the log appended at {} but the batch was built on size {}",
                    range.start, c.old_size
                ))));
            }
        }
        b.commit()?;
        Ok(true)
    }
}

/// Agreements (TOML files, sorted by name) found in a folder, or the file itself.
pub fn agreement_files(path: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(path)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// What to ingest and where (see [`ingest`]).
pub struct Request<'a> {
    pub paths: &'a [std::path::PathBuf],
    /// A folder of agreement TOML files (or one file) to log first.
    pub agreements: Option<&'a Path>,
    pub options: crate::pipeline::Options,
    /// Recorded as the author of every batch in the store's audit trail.
    pub author: &'a str,
    /// Share the work with other processes through the store's job queue: every input file
    /// becomes a job (keyed by path, size and modification time), and this process ingests the
    /// files it claims (each claimed by one worker at a time; a dead worker's job is taken
    /// again when its lease ends, its committed documents skipped by hash).
    pub queue: bool,
}

/// How long a claimed file stays with its worker before another may take it.
pub const JOB_LEASE: std::time::Duration = std::time::Duration::from_secs(600);

fn job_key(path: &Path) -> String {
    let meta = std::fs::metadata(path).ok();
    let len = meta.as_ref().map_or(0, |m| m.len());
    let mtime = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("file:{}|{len}|{mtime}", path.display())
}

/// Ingests files, folders and JSONL into a store with the shipped coder and rules: the one entry
/// point the `ingest` and `demo` commands, the tests and the benchmark share.
pub fn ingest(
    store: &dyn Store,
    req: &Request<'_>,
    observer: &mut dyn crate::pipeline::Observer,
) -> Result<crate::pipeline::Summary, crate::pipeline::IngestError<SinkError>> {
    use crate::pipeline::{Ingest, IngestError};
    let signer = log_signer(store).map_err(IngestError::Store)?;
    let gazetteer = truce_gazetteer::Gazetteer::embedded();
    let lexicon = truce_lexicon::Lexicon::embedded();
    let coder = truce_coder::Coder::new(&gazetteer, &lexicon);
    let rules = crate::engine::Rules;
    let sink = StoreSink::new(store, signer, req.author);
    let mut run = Ingest::open(&rules, &coder, sink, req.options.clone())?;
    if let Some(dir) = req.agreements {
        let files = agreement_files(dir).map_err(|e| IngestError::Agreement {
            origin: dir.display().to_string(),
            message: format!("cannot read: {e}"),
        })?;
        for f in files {
            let origin = f.display().to_string();
            let toml = std::fs::read_to_string(&f).map_err(|e| IngestError::Agreement {
                origin: origin.clone(),
                message: format!("cannot read: {e}"),
            })?;
            run.add_agreement(&toml, &origin)?;
        }
    }
    if !req.queue {
        return run.run(req.paths, observer);
    }
    // The job queue: enqueue every file (idempotent by key), then take files until none is left.
    let mut jobs = Vec::new();
    for f in crate::input::list_files(req.paths) {
        match f {
            Ok(p) => jobs.push(truce_store::NewJob {
                key: job_key(&p),
                payload: p.display().to_string(),
            }),
            Err(e) => observer.input_error(&e),
        }
    }
    store
        .enqueue_jobs(req.author, &jobs)
        .map_err(|e| IngestError::Store(e.into()))?;
    let worker = format!("{}-{}", req.author, std::process::id());
    let mut summary = run.run(&[], observer)?;
    loop {
        let claimed = store
            .claim_jobs(&worker, 1, JOB_LEASE)
            .map_err(|e| IngestError::Store(e.into()))?;
        let Some(job) = claimed.into_iter().next() else {
            break;
        };
        summary = run.run(&[std::path::PathBuf::from(&job.payload)], observer)?;
        let mut b = store
            .begin(req.author)
            .map_err(|e| IngestError::Store(e.into()))?;
        b.finish_job(job.id)
            .map_err(|e| IngestError::Store(e.into()))?;
        b.commit().map_err(|e| IngestError::Store(e.into()))?;
    }
    Ok(summary)
}
