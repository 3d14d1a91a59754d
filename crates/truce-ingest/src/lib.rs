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
//! `replay_with(&engine, entries: impl IntoIterator<Item = Vec<u8>>) -> Result<ReplayReport, LedgerError>`
//! takes every log entry's bytes in order from index 0 and returns the verdicts matched and
//! every mismatch (by log index).

pub mod export;
pub mod input;
pub mod ledger;
pub mod pipeline;

pub use input::{Format, InputError, RawDoc, Reader};
pub use ledger::{
    DocInfo, Engine, Evaluation, EventRecord, Judgement, Ledger, LedgerError, Mark, MergedEvent,
    Mismatch, ReplayReport, SourcedIncident, SourcedStatement, replay_with,
};
pub use pipeline::{
    BatchReport, Coding, Commit, Ingest, IngestError, NewDocument, Observer, Options, Quiet, Sink,
    Summary, sha256_hex,
};
