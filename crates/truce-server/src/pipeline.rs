//! The writes that go through truce's ingest pipeline, exactly as `truce ingest` and `truce demo`
//! do them: a monitor report's document and its directly coded incident ([`IngestReports`]),
//! and an agreement's TOML ([`IngestAgreements`]), each logged, merged and judged by the shipped
//! rules in one atomic batch. The server knows no rule itself: it hands the pipeline coded
//! records and TOML text.

use truce_model::CodedDocument;
use truce_store::{RecordKey, Store};

use crate::reports::{ReportSink, SinkError};

/// Monitor reports through the ingest pipeline (the default sink of [`crate::AppState`]).
pub struct IngestReports;

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
        let signer = truce_ingest::store_sink::log_signer(store).map_err(|e| other(&e))?;
        let sink = truce_ingest::store_sink::StoreSink::new(store, signer, author);
        let rules = truce_ingest::engine::Rules;
        let coding = Precoded(coded.clone());
        let mut run =
            truce_ingest::Ingest::open(&rules, &coding, sink, truce_ingest::Options::default())
                .map_err(|e| other(&e))?;
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
        let summary = run
            .run_docs([Ok(raw)], &mut truce_ingest::Quiet)
            .map_err(|e| other(&e))?;
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
pub struct IngestAgreements;

impl AgreementSink for IngestAgreements {
    fn put(
        &self,
        store: &dyn Store,
        author: &str,
        toml: &str,
    ) -> Result<AgreementOutcome, AgreementError> {
        let rules = truce_ingest::engine::Rules;
        let origin = format!("api ({author})");
        // Validate before touching the store.
        let (id, _, _) = truce_ingest::Engine::parse_agreement(&rules, toml, &origin)
            .map_err(AgreementError::Invalid)?;
        let signer = truce_ingest::store_sink::log_signer(store).map_err(|e| other(&e))?;
        let sink = truce_ingest::store_sink::StoreSink::new(store, signer, author);
        let coder = NoDocuments;
        let mut run =
            truce_ingest::Ingest::open(&rules, &coder, sink, truce_ingest::Options::default())
                .map_err(|e| other(&e))?;
        let changed = match run.add_agreement(toml, &origin) {
            Ok(c) => c,
            Err(truce_ingest::IngestError::Agreement { message, .. }) => {
                return Err(AgreementError::Invalid(message));
            }
            Err(e) => return Err(other(&e).into()),
        };
        let summary = run
            .run_docs(std::iter::empty(), &mut truce_ingest::Quiet)
            .map_err(|e| other(&e))?;
        Ok(AgreementOutcome {
            id,
            changed,
            verdicts: summary.verdicts,
        })
    }
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
pub fn log_review(
    store: &dyn Store,
    author: &str,
    review: truce_wire::entry::ReviewEntry,
) -> Result<ReviewOutcome, SinkError> {
    let signer = truce_ingest::store_sink::log_signer(store).map_err(|e| other(&e))?;
    let sink = truce_ingest::store_sink::StoreSink::new(store, signer, author);
    let rules = truce_ingest::engine::Rules;
    let coder = NoDocuments;
    let mut run =
        truce_ingest::Ingest::open(&rules, &coder, sink, truce_ingest::Options::default())
            .map_err(ingest_error)?;
    run.add_review(review);
    let summary = run
        .run_docs(std::iter::empty(), &mut truce_ingest::Quiet)
        .map_err(ingest_error)?;
    Ok(ReviewOutcome {
        log_size: summary.log_size,
        verdicts: summary.verdicts,
    })
}

/// Store errors stay store errors (a bad field is a 400, a busy store a 503); the rest is a
/// server error.
fn ingest_error(e: truce_ingest::IngestError<truce_ingest::store_sink::SinkError>) -> SinkError {
    match e {
        truce_ingest::IngestError::Store(truce_ingest::store_sink::SinkError::Store(s)) => {
            SinkError::Store(s)
        }
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
