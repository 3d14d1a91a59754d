//! The store's rows: what callers put in and get back. Records are the domain types of
//! `truce-model`; everything the store does not interpret (a merged event, a parsed agreement,
//! a field report) is JSON text that its owner's crate writes and reads.

use std::fmt;
use std::str::FromStr;

use truce_model::{DocumentMeta, Incident, NaiveDate, Party, Side, Statement, Target};

/// An instant, in unix milliseconds (UTC).
pub type Millis = i64;

/// A stored document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    pub meta: DocumentMeta,
    /// The text: always present from [`crate::Reads::document`]; in listings only when
    /// [`Query::with_text`] is set (texts are large).
    pub text: Option<String>,
    /// Length of the text in bytes.
    pub text_len: u64,
    /// When the store accepted it.
    pub ingested_at: Millis,
}

/// A document to store with its coded records, borrowed from the caller (see
/// [`crate::Batch::put_documents`]).
#[derive(Debug, Clone, Copy)]
pub struct NewDocument<'a> {
    pub meta: &'a DocumentMeta,
    pub text: &'a str,
    pub incidents: &'a [Incident],
    pub statements: &'a [Statement],
}

/// Names one coded record: the document and the record's position in it (0-based, in the
/// order the coder produced them; incidents and statements count separately).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordKey {
    pub document: String,
    pub ord: u32,
}

impl RecordKey {
    pub fn new(document: impl Into<String>, ord: u32) -> Self {
        RecordKey {
            document: document.into(),
            ord,
        }
    }
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.document, self.ord)
    }
}

/// A stored incident.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentRow {
    pub key: RecordKey,
    pub incident: Incident,
}

/// A stored statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRow {
    pub key: RecordKey,
    pub statement: Statement,
}

/// A merged event. The columns the API filters on are copied out of the payload by the caller
/// (the events engine); `payload` is the merged event as JSON, opaque to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub id: String,
    pub date: Option<NaiveDate>,
    pub place: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub perpetrator: Side,
    pub targets: Vec<Target>,
    pub payload: String,
    /// The incidents merged into the event (each must be stored).
    pub members: Vec<RecordKey>,
    /// Set by the store on write; ignored on input.
    pub updated_at: Millis,
}

/// An agreement: its TOML as written and its parsed summary (JSON, the agreements crate's DTO).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementRow {
    pub id: String,
    pub title: String,
    pub toml: String,
    pub summary: String,
    /// Set by the store on write; ignored on input.
    pub updated_at: Millis,
}

/// The verdict for one (event, agreement) pair. `verdict` and `strength` are the verdict
/// engine's terms (`not_applicable`, `violation_alleged`, `indeterminate`; `one_party_claim`...),
/// stored as given (non-empty, no validation of the vocabulary: that belongs to truce-verdict).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictRow {
    pub event: String,
    pub agreement: String,
    pub verdict: String,
    pub strength: Option<String>,
    pub reason: String,
    /// The engine version that decided it.
    pub engine: String,
    /// The log entries (indexes) the engine read.
    pub entries: Vec<u64>,
    /// Set by the store on write; ignored on input.
    pub updated_at: Millis,
}

/// A monitor's field report as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub id: i64,
    pub author: String,
    /// The structured field report as JSON (the server's DTO).
    pub body: String,
    /// The document ingested from it, if any.
    pub document: Option<String>,
    pub at: Millis,
}

/// An analyst's review action on an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewAction {
    Verify,
    Dispute,
    Duplicate,
}

/// A role an API token grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Public,
    Monitor,
    Analyst,
    Admin,
}

macro_rules! terms {
    ($t:ident, $what:literal, { $($v:ident => $s:literal),+ }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$($t::$v),+];
            pub fn as_str(self) -> &'static str {
                match self { $($t::$v => $s),+ }
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $t {
            type Err = crate::StoreError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($t::$v),)+
                    _ => Err(crate::StoreError::bad_input(
                        $what,
                        format!("unknown {} {:?} (expected one of: {})", $what, s, [$($s),+].join(", ")),
                    )),
                }
            }
        }
    };
}

terms!(ReviewAction, "review action", { Verify => "verify", Dispute => "dispute", Duplicate => "duplicate" });
terms!(Role, "role", { Public => "public", Monitor => "monitor", Analyst => "analyst", Admin => "admin" });

/// A review to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    pub event: String,
    pub action: ReviewAction,
    pub note: String,
}

/// A stored review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    pub id: i64,
    pub event: String,
    pub action: ReviewAction,
    pub author: String,
    pub note: String,
    pub at: Millis,
}

/// An API token: only the hash of its secret is stored (the caller hashes; the store compares
/// hashes as opaque strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: i64,
    pub hash: String,
    pub role: Role,
    pub label: String,
    pub created_at: Millis,
    pub revoked_at: Option<Millis>,
}

/// One line of the audit trail: every write, with its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub at: Millis,
    pub author: String,
    /// What was done: `batch`, `put_token`, `revoke_token`, `add_report`, `add_review`,
    /// `enqueue_jobs`, `fail_job`, or a caller's own action recorded through
    /// [`crate::Batch::audit`].
    pub action: String,
    /// What it was done to (an id, a token id, "3 jobs"...).
    pub subject: String,
    pub detail: String,
}

/// An ingest job to queue. `key` makes queueing idempotent (a path, a URL, a content hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    pub key: String,
    /// What the worker needs, as the ingest crate spells it (JSON or a path).
    pub payload: String,
}

/// The state of an ingest job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobState {
    Pending,
    Running,
    Done,
    Failed,
}

terms!(JobState, "job state", { Pending => "pending", Running => "running", Done => "done", Failed => "failed" });

/// A claimed (or listed) ingest job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    pub id: i64,
    pub key: String,
    pub payload: String,
    pub state: JobState,
    pub worker: Option<String>,
    pub attempts: u32,
    pub error: Option<String>,
}

/// How many jobs are in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JobCounts {
    pub pending: u64,
    pub running: u64,
    pub done: u64,
    pub failed: u64,
}

/// Row counts, for summaries and health checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub documents: u64,
    pub incidents: u64,
    pub statements: u64,
    pub events: u64,
    pub agreements: u64,
    pub verdicts: u64,
    pub reports: u64,
    pub reviews: u64,
    /// Entries in the log (size of the latest checkpoint).
    pub log_size: u64,
}

/// The log's signing key as the store records it: where the private key lives (never the key
/// itself) and the verifier key anyone may use to check checkpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogKeyRow {
    pub path: String,
    pub verifier: String,
}

/// An opaque keyset-pagination cursor: hand back [`Page::next`] as [`Query::after`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cursor(pub(crate) String);

impl Cursor {
    /// The cursor as a URL-safe token.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A cursor from a token a client sent back (checked when used).
    pub fn from_token(token: impl Into<String>) -> Self {
        Cursor(token.into())
    }

    pub(crate) fn encode(parts: &[String]) -> Self {
        let joined = parts.join("\u{1}");
        let mut s = String::with_capacity(joined.len() * 2);
        for b in joined.bytes() {
            s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        }
        Cursor(s)
    }

    pub(crate) fn decode(&self) -> Option<Vec<String>> {
        let s = self.0.as_bytes();
        if !s.len().is_multiple_of(2) {
            return None;
        }
        let nib = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let mut bytes = Vec::with_capacity(s.len() / 2);
        for pair in s.chunks_exact(2) {
            bytes.push(nib(pair[0])? << 4 | nib(pair[1])?);
        }
        let text = String::from_utf8(bytes).ok()?;
        Some(text.split('\u{1}').map(str::to_string).collect())
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
}

/// Filters and pagination for listings. Each listing honours the filters its documentation
/// names and refuses the others with [`crate::StoreError::BadQuery`] (a silently ignored
/// filter would show wrong data).
///
/// | listing    | order                      | filters                                           |
/// |------------|----------------------------|---------------------------------------------------|
/// | documents  | published, stored order    | from, to (published)                              |
/// | incidents  | date, stored order         | from, to, place, admin1, perpetrator, target, document |
/// | statements | date, stored order         | from, to, party, document                         |
/// | events     | date, id                   | from, to, place, admin1, perpetrator, target, verdict, agreement |
/// | verdicts   | event, agreement           | event, agreement, verdict                         |
/// | reports    | id                         | (none)                                            |
/// | audit      | id                         | (none)                                            |
///
/// Unknown dates sort first (as empty text) and never match a date range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// First day included.
    pub from: Option<NaiveDate>,
    /// Last day included.
    pub to: Option<NaiveDate>,
    pub place: Option<String>,
    pub admin1: Option<String>,
    pub perpetrator: Option<Side>,
    /// Records whose targets include this one.
    pub target: Option<Target>,
    pub party: Option<Party>,
    /// Events with a verdict of this kind (for `agreement` if set, else any agreement).
    pub verdict: Option<String>,
    pub agreement: Option<String>,
    pub event: Option<String>,
    pub document: Option<String>,
    /// Start after this cursor (from a previous page's `next`).
    pub after: Option<Cursor>,
    /// Page size: 0 means [`DEFAULT_LIMIT`]; more than [`MAX_LIMIT`] is an error.
    pub limit: u32,
    /// Include document texts in document listings.
    pub with_text: bool,
}

/// Page size when [`Query::limit`] is 0.
pub const DEFAULT_LIMIT: u32 = 100;
/// Largest page size.
pub const MAX_LIMIT: u32 = 10_000;

impl Query {
    /// A query with a page size.
    pub fn limit(n: u32) -> Self {
        Query {
            limit: n,
            ..Query::default()
        }
    }
}
