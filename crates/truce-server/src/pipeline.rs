//! The writes that go through truce's ingest pipeline, exactly as `truce ingest` and `truce demo`
//! do them: a monitor report's document and its directly coded incident ([`IngestReports`]),
//! and an agreement's TOML ([`IngestAgreements`]), each logged, merged and judged by the shipped
//! rules in one atomic batch. The server knows no rule itself: it hands the pipeline coded
//! records and TOML text.
//!
//! The server keeps one live ledger ([`Live`]): built from the log once (at startup, or at the
//! first write), then each write catches up on the entries other processes appended (another
//! `truce ingest` on the same store) and applies its own batch, instead of replaying the whole
//! log. Writes take turns ([`Live::turn`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use truce_ingest::engine::Rules;
use truce_ingest::store_sink::StoreSink;
use truce_ingest::{Coding, Ingest, IngestError, Ledger};
use truce_model::CodedDocument;
use truce_store::{RecordKey, Store};

use crate::reports::{ReportSink, SinkError};

/// The server's ingest ledger, kept between writes.
pub struct Live {
    ledger: Mutex<Option<Ledger<Rules>>>,
    /// Full replays of the log so far (1 once built; more only after a failure).
    replays: AtomicU64,
    /// One write at a time (taken before a store turn, so waiting writers hold none).
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl Default for Live {
    fn default() -> Self {
        Live {
            ledger: Mutex::new(None),
            replays: AtomicU64::new(0),
            turn: Arc::new(tokio::sync::Mutex::new(())),
        }
    }
}

impl Live {
    /// Waits for the turn to write (hold it until the write is done).
    pub async fn turn(&self) -> tokio::sync::OwnedMutexGuard<()> {
        Arc::clone(&self.turn).lock_owned().await
    }

    /// How many times the whole log was replayed to build the ledger.
    pub fn replays(&self) -> u64 {
        self.replays.load(Ordering::Relaxed)
    }

    /// The ledger's log size (0 before it is built).
    pub fn size(&self) -> u64 {
        self.lock().as_ref().map_or(0, Ledger::size)
    }

    /// Builds the ledger from the store's log now (the server does it at startup), unless it
    /// is built or the log is empty (then the first write builds it: nothing, not even the
    /// log's key, is written before).
    pub fn warm(&self, store: &dyn Store) -> Result<(), SinkError> {
        if store.log_size()? == 0 {
            return Ok(());
        }
        self.run(store, "server", &NoDocuments, |_| Ok(()))
    }

    fn lock(&self) -> MutexGuard<'_, Option<Ledger<Rules>>> {
        match self.ledger.lock() {
            Ok(g) => g,
            Err(poisoned) => {
                // A write panicked mid-way: its ledger may be half applied; rebuild it.
                let mut g = poisoned.into_inner();
                *g = None;
                self.ledger.clear_poison();
                g
            }
        }
    }

    /// Runs `f` on an ingest run over the live ledger (caught up with the log first), then
    /// keeps the ledger the run leaves.
    fn run<C: Coding, T>(
        &self,
        store: &dyn Store,
        author: &str,
        coder: &C,
        f: impl FnOnce(
            &mut Ingest<'_, Rules, C, StoreSink<'_>>,
        ) -> Result<T, IngestError<truce_ingest::store_sink::SinkError>>,
    ) -> Result<T, SinkError> {
        let rules = Rules;
        let signer = truce_ingest::store_sink::log_signer(store).map_err(|e| other(&e))?;
        let sink = StoreSink::new(store, signer, author);
        let mut slot = self.lock();
        let opened = match slot.take() {
            Some(ledger) => Ingest::resume(&rules, coder, sink, Default::default(), ledger),
            None => {
                self.replays.fetch_add(1, Ordering::Relaxed);
                Ingest::open(&rules, coder, sink, Default::default())
            }
        };
        // On an error here the ledger is dropped: the next write rebuilds it.
        let mut run = opened.map_err(ingest_error)?;
        let out = f(&mut run);
        let ledger = run.into_ledger();
        // A ledger left empty by a failure is rebuilt by the next write.
        if ledger.size() > 0 || out.is_ok() {
            *slot = Some(ledger);
        }
        out.map_err(ingest_error)
    }
}

/// Monitor reports through the ingest pipeline (the default sink of [`crate::AppState`]).
#[derive(Default)]
pub struct IngestReports {
    pub live: Arc<Live>,
}

/// The report as the server coded it (the pipeline asks for a coding of its text).
struct Precoded(CodedDocument);

impl truce_ingest::Coding for Precoded {
    fn code(&self, _doc: &truce_ingest::RawDoc, id: &str) -> CodedDocument {
        let mut c = self.0.clone();
        c.document.id = id.to_string();
        c
    }
}

fn other(e: &dyn std::fmt::Display) -> SinkError {
    SinkError::Other(e.to_string())
}

impl ReportSink for IngestReports {
    fn submit(
        &self,
        store: &dyn Store,
        author: &str,
        text: &str,
        coded: &CodedDocument,
    ) -> Result<(Vec<String>, u64), SinkError> {
        let coding = Precoded(coded.clone());
        let raw = truce_ingest::RawDoc {
            text: text.to_string(),
            published: coded.document.published,
            language: Some(coded.document.language.clone()),
            url: None,
            outlet: None,
            source: coded
                .document
                .source
                .clone()
                .unwrap_or_else(|| "monitor report".into()),
            format: truce_ingest::Format::Text,
            jsonl: false,
        };
        let summary = self.live.run(store, author, &coding, |run| {
            run.run_docs([Ok(raw)], &mut truce_ingest::Quiet)
        })?;
        let mut events = Vec::new();
        for ord in 0..coded.incidents.len() {
            let key = RecordKey::new(coded.document.id.clone(), ord as u32);
            for e in store.events_of_incident(&key)? {
                if !events.contains(&e) {
                    events.push(e);
                }
            }
        }
        Ok((events, summary.verdicts))
    }
}

/// What storing an agreement did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementOutcome {
    pub id: String,
    /// False when the log already held this exact TOML.
    pub changed: bool,
    /// Verdict entries logged (re-judged events).
    pub verdicts: u64,
}

/// Why an agreement was not stored.
#[derive(Debug, thiserror::Error)]
pub enum AgreementError {
    /// The TOML is not a valid agreement (the message names the field or line).
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Sink(#[from] SinkError),
}

/// Where an analyst's agreement goes.
pub trait AgreementSink: Send + Sync {
    fn put(
        &self,
        store: &dyn Store,
        author: &str,
        toml: &str,
    ) -> Result<AgreementOutcome, AgreementError>;
}

/// Agreements through the ingest pipeline: validated, logged, and every event judged again.
#[derive(Default)]
pub struct IngestAgreements {
    pub live: Arc<Live>,
}

impl AgreementSink for IngestAgreements {
    fn put(
        &self,
        store: &dyn Store,
        author: &str,
        toml: &str,
    ) -> Result<AgreementOutcome, AgreementError> {
        let rules = Rules;
        let origin = format!("api ({author})");
        // Validate before touching the store.
        let (id, _, _) = truce_ingest::Engine::parse_agreement(&rules, toml, &origin)
            .map_err(AgreementError::Invalid)?;
        let mut invalid = None;
        let (changed, summary) = self.live.run(store, author, &NoDocuments, |run| {
            let changed = match run.add_agreement(toml, &origin) {
                Ok(c) => c,
                Err(IngestError::Agreement { message, .. }) => {
                    invalid = Some(message);
                    return Ok((false, truce_ingest::Summary::default()));
                }
                Err(e) => return Err(e),
            };
            let summary = run.run_docs(std::iter::empty(), &mut truce_ingest::Quiet)?;
            Ok((changed, summary))
        })?;
        if let Some(message) = invalid {
            return Err(AgreementError::Invalid(message));
        }
        Ok(AgreementOutcome {
            id,
            changed,
            verdicts: summary.verdicts,
        })
    }
}

/// Documents after which the engine closes an event (see [`Ledger::is_open`]).
pub fn merge_window() -> u64 {
    truce_ingest::Engine::merge_window(&Rules)
}

/// What logging a review did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewOutcome {
    /// Log size after the batch (the review entry and the verdicts it changed).
    pub log_size: u64,
    /// Verdict entries logged (the event's verdicts the review changed).
    pub verdicts: u64,
}

/// Logs an analyst's review through the ingest pipeline: in one atomic batch, the review entry,
/// its row in the store's reviews, and the verdicts it changes (the engine judges the event
/// again knowing every review of it), so replaying the log gives the same verdicts.
///
/// `None`, with nothing written, when the live ledger does not hold the event open (an event
/// closed by the merge window, or one the log never gave): the engine could not judge it again,
/// so the review would change nothing.
pub fn log_review(
    live: &Live,
    store: &dyn Store,
    author: &str,
    review: truce_wire::entry::ReviewEntry,
) -> Result<Option<ReviewOutcome>, SinkError> {
    let summary = live.run(store, author, &NoDocuments, |run| {
        if !run.ledger().is_open(&review.event) {
            return Ok(None);
        }
        run.add_review(review);
        run.run_docs(std::iter::empty(), &mut truce_ingest::Quiet)
            .map(Some)
    })?;
    Ok(summary.map(|summary| ReviewOutcome {
        log_size: summary.log_size,
        verdicts: summary.verdicts,
    }))
}

/// Store errors stay store errors (a bad field is a 400, a busy store a 503); the rest is a
/// server error.
fn ingest_error(e: IngestError<truce_ingest::store_sink::SinkError>) -> SinkError {
    match e {
        IngestError::Store(truce_ingest::store_sink::SinkError::Store(s)) => SinkError::Store(s),
        e => other(&e),
    }
}

/// The agreements path codes no document.
struct NoDocuments;

impl truce_ingest::Coding for NoDocuments {
    fn code(&self, _doc: &truce_ingest::RawDoc, id: &str) -> CodedDocument {
        let mut c = CodedDocument::default();
        c.document.id = id.to_string();
        c
    }
}
