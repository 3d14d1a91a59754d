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
    DocInfo, Engine, Evaluation, EventRecord, Judgement, Ledger, LedgerError, MergedEvent,
    Mismatch, ReplayReport, SourcedIncident, SourcedStatement, replay_with,
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
