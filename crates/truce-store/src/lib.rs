//! truce's storage: one interface ([`Store`], [`Batch`], [`Reads`]) over two real backends,
//! **SQLite** (embedded default: one file `truce.db` in WAL mode under a data dir, default
//! `./truce-data`) and **PostgreSQL** (shared deployments, selected by a `postgres://` URL).
//! Both run the same logic and the same test suite; they differ only in their driver and in a
//! few dialect points (locking, `FOR UPDATE SKIP LOCKED`).
//!
//! Invariant: this crate knows SQL, files and locks, but no coding, merging or verdict rules.
//! Records are `truce-model` types converted by hand to the store's own columns; what the store
//! does not interpret (a merged event, a parsed agreement, a field report) is JSON text owned by
//! the crate that writes it.
//!
//! # Using it
//!
//! ```no_run
//! use truce_store::{Location, Query, Reads};
//! # fn main() -> Result<(), truce_store::StoreError> {
//! let store = truce_store::open(&Location::parse("./truce-data"))?; // creates + migrates
//! let mut batch = store.begin("ingest")?; // one transaction; dropped = rolled back
//! # let (meta, text) = (truce_model::DocumentMeta::default(), "");
//! if batch.put_document(&meta, text)? {
//!     // new document: its records, events, verdicts and log entries go in the same batch
//! }
//! batch.commit()?;
//! let page = store.events(&Query { admin1: Some("Sumy Oblast".into()), ..Query::limit(50) })?;
//! # let _ = page; Ok(()) }
//! ```
//!
//! # Threads and async
//!
//! The API is synchronous. [`Store`] is `Send + Sync` and pools connections: share one
//! `Arc<dyn Store>` across threads. From async code call it through
//! `tokio::task::spawn_blocking`: the PostgreSQL driver (the `postgres` crate) runs its own
//! tokio runtime internally and **panics if called on a tokio runtime thread**.
//!
//! # Atomic batches
//!
//! [`Store::begin`] opens a write transaction ([`Batch`]): documents, records, events,
//! agreements, verdicts, finished jobs and the log's append (entries, tiles, checkpoint) of one
//! ingest batch commit together or not at all. Dropping a batch without
//! [`Batch::commit`] rolls it back. A batch also [`Reads`] inside its transaction.
//!
//! The fast path for ingest is the bulk methods: [`Batch::put_documents`] (documents with
//! their records), [`Batch::put_events`], [`Batch::put_verdicts`]: multi-row statements, a few
//! round trips per batch (what makes PostgreSQL as fast as SQLite here). References (a record's
//! document, an event's member incidents, a verdict's event and agreement) are checked before
//! anything is written, and errors name the row.
//!
//! A batch in which a statement failed cannot commit: [`Batch::commit`] rolls it back and
//! returns an error naming the failed statement (PostgreSQL discards such a transaction
//! anyway; SQLite behaves the same so that both backends keep "a failed batch leaves nothing").
//! Do not call the store's own writes ([`Store::add_report`]...) on a thread that holds an
//! open batch on SQLite: they wait for the batch's write lock and fail with
//! [`StoreError::Locked`] after the busy timeout.
//!
//! # One log sequencer
//!
//! Log appends are serialised: on PostgreSQL the batch takes a transaction-scoped advisory lock
//! (`pg_advisory_xact_lock`, keyed by the schema) before it reads the log's size or tiles
//! ([`Batch::lock_log`], taken implicitly by the log methods); on SQLite `BEGIN IMMEDIATE`
//! already holds the database's only write lock. The append checks that the stored size is the
//! size the batch was built on, so several ingest processes never fork the log.
//!
//! # Locks and timeouts
//!
//! A writer waits up to [`Options::busy_timeout`] (default 5 s) for another writer (SQLite
//! `busy_timeout`, PostgreSQL `lock_timeout`), then fails with [`StoreError::Locked`], naming
//! the database and the operation. Nothing is written by a failed batch.
//!
//! # Durability
//!
//! SQLite runs with `journal_mode=WAL` and `synchronous=FULL`: a committed batch survives a
//! crash of the process or the machine. PostgreSQL commits are durable by its own settings.
//!
//! # Schema and migrations
//!
//! Numbered SQL files under `migrations/sqlite/` and `migrations/postgres/` (same numbers,
//! same tables), compiled in. [`open`] applies the missing ones in one transaction and records
//! each in `schema_version`; re-running is a no-op; a database from a newer truce is refused
//! ([`StoreError::SchemaTooNew`]). Dates are stored as `YYYY-MM-DD` text (`''` when unknown),
//! instants as unix milliseconds, vocabulary lists as `,a,b,` text; text columns use the
//! binary ("C") collation on PostgreSQL, so both backends order and page identically.
//!
//! After a large ingest, [`Store::optimize`] refreshes the planner's statistics.
//!
//! # Listings
//!
//! Listings take a [`Query`] (filters + keyset cursor + limit) and return a [`Page`] whose
//! `next` cursor continues after the last item; every order and filter is served by an index
//! (see [`Query`] for which filters each listing takes).
//!
//! # Ingest jobs
//!
//! [`Store::enqueue_jobs`] queues work idempotently by key; [`Store::claim_jobs`] hands each
//! worker distinct jobs (`FOR UPDATE SKIP LOCKED` on PostgreSQL) with a lease: a job whose
//! worker died is handed out again once its lease expires. A worker marks a job done inside the
//! batch that stores its results ([`Batch::finish_job`]), so "done" and the data commit together.
//!
//! # The log
//!
//! [`Batch`] implements truce-tlog's `LogStorage` (tiles and entry bundles keep their widest
//! version; checkpoints are kept for every size): open the sequencer on the batch with
//! `Log::open(BatchLog(&mut *batch), signer)`, append, drop the `Log`, commit. Reads of the
//! log outside a batch go through [`StoreLog`] (or `dyn Store` itself), which also serves
//! `truce_tlog::StorageFetcher` for verification.
//!
//! # The log's key
//!
//! The store records where the log's signing key lives ([`Store::log_key_path`]: `log.key` in
//! the SQLite data dir; for PostgreSQL [`Options::log_key`], else `$TRUCE_LOG_KEY`, else
//! `./truce-data/log.key`) and the verifier key ([`Reads::log_key`]); it never stores the
//! private key in the database. [`Store::log_signer`] loads the key, creating it (mode 0600) on
//! first use, and refuses a missing key once a verifier is recorded, a key other users can
//! read, or a key that is not the recorded one.
//!
//! # Tests
//!
//! `tests/store.rs` runs every case on both backends. The PostgreSQL half needs a server:
//! `export TRUCE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/truce_test` (each case
//! works in a fresh schema, dropped afterwards); without it those cases fail and say how to set
//! it. `cargo bench -p truce-store` prints batched-write and read rates for both.

mod core;
mod error;
mod key;
mod log;
mod migrate;
mod pg;
mod rows;
mod sql;
mod sqlite;

use std::path::{Path, PathBuf};
use std::time::Duration;

use truce_model::{DocumentMeta, Incident, Statement};

pub use error::{Result, StoreError};
pub use key::DEFAULT_LOG_ORIGIN;
pub use log::{BatchLog, StoreLog};
pub use migrate::{Backend, migrations};
pub use rows::*;
pub use truce_note::Signer;

/// Where a store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A data directory holding `truce.db` (and the log key).
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl Location {
    /// `postgres://...` or `postgresql://...` is PostgreSQL; anything else is a data directory.
    pub fn parse(s: &str) -> Location {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Location::Postgres(s.to_string())
        } else {
            Location::Sqlite(PathBuf::from(s))
        }
    }

    /// The default embedded location, `./truce-data`.
    pub fn default_data_dir() -> Location {
        Location::Sqlite(PathBuf::from("truce-data"))
    }
}

/// How to open a store.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long a writer waits for another writer before failing with [`StoreError::Locked`].
    pub busy_timeout: Duration,
    /// Where the log's signing key lives (see the crate docs for the defaults).
    pub log_key: Option<PathBuf>,
    /// How many idle connections the pool keeps.
    pub pool_size: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            busy_timeout: Duration::from_secs(5),
            log_key: None,
            pool_size: 16,
        }
    }
}

/// Opens (creating and migrating as needed) the store at `loc` with default [`Options`].
pub fn open(loc: &Location) -> Result<Box<dyn Store>> {
    open_with(loc, &Options::default())
}

/// Opens (creating and migrating as needed) the store at `loc`.
pub fn open_with(loc: &Location, opts: &Options) -> Result<Box<dyn Store>> {
    match loc {
        Location::Sqlite(dir) => migrate::open_sqlite(dir, opts),
        Location::Postgres(url) => migrate::open_postgres(url, opts),
    }
}

/// Reads, on the store (autocommit, pooled connection) or inside a [`Batch`] (its transaction).
pub trait Reads {
    /// Is the document with this content hash stored?
    fn has_document(&self, id: &str) -> Result<bool>;
    /// Which of these document ids are stored (in no particular order).
    fn stored_documents(&self, ids: &[String]) -> Result<Vec<String>>;
    /// One document with its text.
    fn document(&self, id: &str) -> Result<Option<DocumentRow>>;
    /// Documents by (published, insertion order); filters: from, to.
    fn documents(&self, q: &Query) -> Result<Page<DocumentRow>>;
    /// A document's incidents and statements, in coder order.
    fn records_of(&self, document: &str) -> Result<(Vec<IncidentRow>, Vec<StatementRow>)>;
    /// Incidents by (date, insertion order); see [`Query`] for filters.
    fn incidents(&self, q: &Query) -> Result<Page<IncidentRow>>;
    /// Statements by (date, insertion order); see [`Query`].
    fn statements(&self, q: &Query) -> Result<Page<StatementRow>>;
    /// One event with its members.
    fn event(&self, id: &str) -> Result<Option<EventRow>>;
    /// Events by (date, id) with their members; see [`Query`].
    fn events(&self, q: &Query) -> Result<Page<EventRow>>;
    /// [`Reads::events`] without the members (each `members` left empty), in one statement:
    /// for readers that keep what an event's members give and check it by the row.
    fn event_rows(&self, q: &Query) -> Result<Page<EventRow>>;
    /// The events an incident belongs to.
    fn events_of_incident(&self, key: &RecordKey) -> Result<Vec<String>>;
    fn agreement(&self, id: &str) -> Result<Option<AgreementRow>>;
    /// Every agreement, by id.
    fn agreements(&self) -> Result<Vec<AgreementRow>>;
    /// Verdicts by (event, agreement); filters: event, agreement, verdict.
    fn verdicts(&self, q: &Query) -> Result<Page<VerdictRow>>;
    /// Every verdict of these events (any number, in a few statements: one per 500 ids), by
    /// (event, agreement): what a listing of events shows without one query per event.
    /// Repeated or unknown ids are harmless.
    fn verdicts_of_events(&self, events: &[String]) -> Result<Vec<VerdictRow>>;
    /// Monitors' reports by id.
    fn reports(&self, q: &Query) -> Result<Page<ReportRow>>;
    /// An event's reviews, oldest first.
    fn reviews(&self, event: &str) -> Result<Vec<ReviewRow>>;
    /// The audit trail by id.
    fn audit(&self, q: &Query) -> Result<Page<AuditRow>>;
    /// The token with this hash (revoked ones too: check `revoked_at`).
    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRow>>;
    fn tokens(&self) -> Result<Vec<TokenRow>>;
    /// Jobs in a state, oldest first.
    fn jobs(&self, state: JobState, limit: u32) -> Result<Vec<JobRow>>;
    fn job_counts(&self) -> Result<JobCounts>;
    fn counts(&self) -> Result<Counts>;
    /// Entries in the log (0 before the first append).
    fn log_size(&self) -> Result<u64>;
    /// The latest signed checkpoint.
    fn checkpoint(&self) -> Result<Option<Vec<u8>>>;
    /// The checkpoint the log signed at exactly this size, if it stopped there.
    fn checkpoint_at(&self, size: u64) -> Result<Option<Vec<u8>>>;
    /// The widest stored version of a tile (`width * 32` bytes).
    fn tile(&self, level: u8, index: u64) -> Result<Option<Vec<u8>>>;
    /// The widest stored version of an entry bundle.
    fn entry_bundle(&self, index: u64) -> Result<Option<Vec<u8>>>;
    /// The widest stored version of a tile with its width.
    fn tile_with_width(&self, level: u8, index: u64) -> Result<Option<(u16, Vec<u8>)>>;
    /// The widest stored version of an entry bundle with its width (entries).
    fn entry_bundle_with_width(&self, index: u64) -> Result<Option<(u16, Vec<u8>)>>;
    /// Where the log's signing key lives and its verifier key, once recorded.
    fn log_key(&self) -> Result<Option<LogKeyRow>>;
}

/// One write transaction. Everything written through it commits atomically with
/// [`Batch::commit`]; dropping it (or [`Batch::rollback`]) discards everything.
pub trait Batch: Reads + truce_tlog::LogStorage + Send {
    /// Stores a document; `Ok(false)` if a document with this id is already stored (nothing
    /// changes: skip its records and log entry). The id must be the SHA-256 hex of `text`.
    fn put_document(&mut self, meta: &DocumentMeta, text: &str) -> Result<bool>;
    /// Stores documents with their records in few statements (multi-row inserts: the fast
    /// path for ingest, a few round trips per batch instead of several per document). Returns,
    /// per document, `true` if stored now and `false` if already stored or repeated earlier in
    /// `docs` (its records are then not written). Every document is checked before anything
    /// is written.
    fn put_documents(&mut self, docs: &[NewDocument<'_>]) -> Result<Vec<bool>>;
    /// Stores a document's coded records (keys `document#0..`); the document must be stored.
    fn put_records(
        &mut self,
        document: &str,
        incidents: &[Incident],
        statements: &[Statement],
    ) -> Result<()>;
    /// Inserts or replaces an event and its member list (members must be stored incidents).
    fn put_event(&mut self, event: &EventRow) -> Result<()>;
    /// [`Batch::put_event`] for many events in a few statements (the fast path); if an id
    /// repeats, the last one wins.
    fn put_events(&mut self, events: &[EventRow]) -> Result<()>;
    /// Deletes an event (and its verdicts); reviews of it stay. `Ok(false)` if absent.
    fn delete_event(&mut self, id: &str) -> Result<bool>;
    /// Inserts or replaces an agreement.
    fn put_agreement(&mut self, agreement: &AgreementRow) -> Result<()>;
    /// Inserts or replaces the verdict of (event, agreement); both must be stored.
    fn put_verdict(&mut self, verdict: &VerdictRow) -> Result<()>;
    /// [`Batch::put_verdict`] for many verdicts in a few statements (the fast path); if an
    /// (event, agreement) pair repeats, the last one wins.
    fn put_verdicts(&mut self, verdicts: &[VerdictRow]) -> Result<()>;
    /// Marks a claimed job done, committing with the batch.
    fn finish_job(&mut self, id: i64) -> Result<()>;
    /// Records an analyst's review of a stored event (author: the batch's), committing with
    /// the batch: the review's log entry and the verdicts it changes go in the same batch.
    fn add_review(&mut self, review: &NewReview) -> Result<ReviewRow>;
    /// Adds an audit line with the batch's author (the batch adds a summary line itself).
    fn audit(&mut self, action: &str, subject: &str, detail: &str) -> Result<()>;
    /// Takes the log's sequencer lock for the rest of the batch and returns the log's size.
    /// Call it before computing what to append; the log methods take it implicitly.
    fn lock_log(&mut self) -> Result<u64>;
    /// Commits (with one audit line summarising the batch).
    fn commit(self: Box<Self>) -> Result<()>;
    /// Discards everything written through the batch.
    fn rollback(self: Box<Self>) -> Result<()>;
}

/// A store. See the crate docs.
pub trait Store: Reads + Send + Sync {
    /// Names the database ("SQLite database truce-data/truce.db").
    fn describe(&self) -> String;
    /// The highest migration applied.
    fn schema_version(&self) -> Result<u32>;
    /// Where the log's signing key file lives.
    fn log_key_path(&self) -> &Path;
    /// Opens a write transaction; `author` goes into the audit trail.
    fn begin(&self, author: &str) -> Result<Box<dyn Batch + '_>>;
    /// Stores an API token's hash with its role.
    fn put_token(&self, author: &str, hash: &str, role: Role, label: &str) -> Result<TokenRow>;
    /// Revokes a token; `Ok(false)` if it does not exist or is already revoked.
    fn revoke_token(&self, author: &str, id: i64) -> Result<bool>;
    /// Records a monitor's field report (JSON body), optionally with the document made of it.
    fn add_report(&self, author: &str, body: &str, document: Option<&str>) -> Result<ReportRow>;
    /// Records an analyst's review of a stored event.
    fn add_review(&self, author: &str, review: &NewReview) -> Result<ReviewRow>;
    /// Queues jobs; keys already queued are skipped. Returns how many were added.
    fn enqueue_jobs(&self, author: &str, jobs: &[NewJob]) -> Result<usize>;
    /// Claims up to `n` pending jobs (or running ones whose lease expired) for `worker`.
    /// Concurrent workers get distinct jobs.
    fn claim_jobs(&self, worker: &str, n: u32, lease: Duration) -> Result<Vec<JobRow>>;
    /// Marks a job failed with its error.
    fn fail_job(&self, author: &str, id: i64, error: &str) -> Result<()>;
    /// Puts failed jobs back in the queue; returns how many.
    fn retry_failed_jobs(&self, author: &str) -> Result<u64>;
    /// Refreshes the query planner's statistics (PostgreSQL `ANALYZE` of the store's tables,
    /// SQLite `PRAGMA optimize`). Call it after a large ingest: fresh statistics keep listings
    /// on their ordered indexes (PostgreSQL's autovacuum does it too, but later).
    fn optimize(&self) -> Result<()>;
    /// Records where the log key lives and its verifier key.
    fn set_log_key(&self, author: &str, key: &LogKeyRow) -> Result<()>;
    /// The log's signer, from the key file at [`Store::log_key_path`]. On first use (no file
    /// and no key recorded) it generates an Ed25519 key named `origin` (e.g.
    /// [`DEFAULT_LOG_ORIGIN`]), writes it with mode 0600 and records its verifier key; later
    /// it refuses a missing key, a key others can read, or a key that is not the recorded one.
    fn log_signer(&self, origin: &str) -> Result<Signer>;
}
