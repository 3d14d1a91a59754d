//! truce's ingest: reads files, folders and JSON Lines, codes them in parallel, and commits each
//! batch's documents, coded records, log entries and re-evaluated verdicts atomically; replays the
//! verdicts of a log to check them byte for byte.
//!
//! IO sits at the edges: [`input`] reads files; the store and the log sit behind [`Sink`]; the
//! coder behind [`Coding`]; the rules (events, verdicts, agreements) behind [`Engine`]. The
//! [`Ledger`] (what the log says so far) is rebuilt from log entries alone, and ingest and replay
//! share it, so a replay recomputes exactly what ingest logged.
//!
//! Invariant: this crate knows no SQL, no HTTP and no coding rule; it only orders work and
//! entries.
//!
//! # How a run goes
//!
//! [`store_sink::ingest`] is the entry point the commands, tests and benchmark share. Inputs
//! stream ([`Reader`]); each batch is hashed, documents the log already holds are skipped, the
//! rest are coded on all cores and their log entries built (a coder thread); the main thread
//! applies the batch to the [`Ledger`] (each incident joins an open event or starts one, in log
//! order), judges the events that gained members (and those a denial reaches) against the
//! agreements, and appends the verdicts that changed; a committer thread writes the previous
//! batch (documents with their records, events, verdicts: multi-row statements; log entries,
//! tiles, signed checkpoint) in one store transaction. The three stages overlap, and the coding,
//! the events' JSON and the verdicts' canonical bytes use every core. An acknowledgement
//! ([`Observer::committed`]) comes only after the commit is durable.
//!
//! Events keep the id of the report that started them (truce-events: the hash of its first
//! member's key), so a report joining later re-logs only the verdicts it changes. Memory stays
//! flat however long the input: an event is open to new reports for
//! `truce_events::MERGE_WINDOW_DOCUMENTS` documents after the one that started it, then closed
//! (see [`ledger`]); the benchmark measures it at 10^6 documents.
//!
//! One sequencer: a batch is built on the log size the ledger has seen and the store commits it
//! only if the log still has that size, under its sequencer lock; otherwise the ledger is rebuilt
//! from the log and the batch built again. Several processes can therefore share a PostgreSQL
//! store; with `queue` set ([`store_sink::Request::queue`]) they split the input files through
//! the store's job queue (`FOR UPDATE SKIP LOCKED`).
//!
//! Log entries ([`truce_wire::entry`]): per document a `document` entry (hash and metadata) and a
//! `records` entry; each agreement once (TOML hash, TOML, parsed content); a `verdict` entry
//! whenever an (event, agreement) verdict is new or changes, naming the engine and the log
//! indices it read.
//!
//! Replay (called by `truce verify --data DIR`):
//! [`replay_verdicts`]`(entries: impl IntoIterator<Item = Vec<u8>>) -> Result<ReplayReport, LedgerError>`
//! takes every log entry's bytes in order from index 0, recomputes the verdicts with the
//! shipped rules, and returns how many verdict entries matched byte for byte and every mismatch
//! (by log index; a verdict the state calls for but the log lacks has `logged` empty).
//! [`replay_with`] does the same with another [`Engine`].

pub mod engine;
pub mod export;
pub mod input;
pub mod ledger;
pub mod pipeline;
pub mod store_sink;
pub mod synth;
pub mod views;

pub use input::{Format, InputError, RawDoc, Reader};
pub use ledger::{
    DocInfo, Engine, Evaluation, EventRecord, EventReview, Judgement, Ledger, LedgerError,
    Mismatch, REVIEW_ACTIONS, ReplayReport, SourcedIncident, SourcedStatement, replay_with,
};
pub use pipeline::{
    BatchReport, Coding, Commit, Ingest, IngestError, NewDocument, Observer, Options, Quiet, Sink,
    Summary, sha256_hex,
};

/// Recomputes the verdicts of a log from its entries (records and agreements) with the shipped
/// rules and compares them byte for byte with the logged verdict entries. `entries` are every
/// entry's bytes in log order, from index 0.
pub fn replay_verdicts<I>(entries: I) -> Result<ReplayReport, LedgerError>
where
    I: IntoIterator<Item = Vec<u8>>,
{
    replay_with(&engine::Rules, entries)
}
