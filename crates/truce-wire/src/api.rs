//! HTTP API bodies (owner: server).
//!
//! What `/api/v1` answers and accepts. Field names are a public contract (the OpenAPI document
//! describes them): add fields freely, never rename.

use serde::{Deserialize, Serialize};

use crate::entry::{CountPayload, EvidencePayload};

/// One page of a list: `next_cursor` is null on the last page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A stored document's metadata (never its text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: String,
    pub published: Option<String>,
    pub language: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub format: Option<String>,
    pub bytes: Option<u64>,
}

/// One coded incident as one document reports it (Contract 1's incident and its document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentView {
    pub id: String,
    pub document: String,
    pub date: Option<String>,
    pub date_precision: String,
    pub place: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geo_precision: Option<String>,
    pub perpetrator: String,
    pub reported_by: String,
    pub weapons: Vec<String>,
    pub targets: Vec<String>,
    pub killed: Option<CountPayload>,
    pub injured: Option<CountPayload>,
    pub evidence: EvidencePayload,
}

/// One coded statement with its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementView {
    pub id: String,
    pub document: String,
    pub date: Option<String>,
    pub speaker: String,
    pub party: String,
    pub act: String,
    pub about: String,
    pub target: Option<String>,
    pub evidence: EvidencePayload,
}

/// Low / best / high estimate of a casualty figure over an event's sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Estimate {
    pub low: Option<u64>,
    pub best: Option<u64>,
    pub high: Option<u64>,
}

/// One source's account of an event: its document, who asserts it, its figures and evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceView {
    pub document: String,
    pub incident: Option<String>,
    pub reported_by: String,
    pub source: Option<String>,
    pub published: Option<String>,
    pub killed: Option<CountPayload>,
    pub injured: Option<CountPayload>,
    pub evidence: EvidencePayload,
}

/// A verdict on one (event, agreement) pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictView {
    pub event: String,
    pub agreement: String,
    /// `not_applicable`, `violation_alleged` or `indeterminate`.
    pub verdict: String,
    /// `one_party_claim`, `corroborated`, `contested`, `analyst_reviewed`, or null.
    pub strength: Option<String>,
    pub reason: String,
    pub engine: String,
}

/// An event: incidents of several sources merged, each source's figures kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub id: String,
    pub date: Option<String>,
    pub date_precision: String,
    pub place: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub perpetrator: String,
    pub weapons: Vec<String>,
    pub targets: Vec<String>,
    pub killed: Estimate,
    pub injured: Estimate,
    /// `corroborated`, `one_party_claim` or `contested`, when the events engine says.
    pub assertion: Option<String>,
    /// How many independent sources report the event, when the events engine says.
    #[serde(default)]
    pub independent_sources: Option<u64>,
    pub sources: Vec<SourceView>,
    pub verdicts: Vec<VerdictView>,
}

/// An agreement as data (the parsed TOML, plus the fields the dashboard needs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreementView {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub parties: Vec<String>,
    /// RFC 3339 instants: start of the first window and end of the last, or null when the
    /// agreement was never in force.
    pub start: Option<String>,
    pub end: Option<String>,
    pub in_force: bool,
    /// Every window in which it was in force.
    #[serde(default)]
    pub windows: Vec<WindowView>,
    pub content: serde_json::Value,
}

/// A window in which an agreement was in force (RFC 3339 instants).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowView {
    pub start: String,
    pub end: String,
}

/// Compliance of one party with one agreement: counts of its events' verdicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceRow {
    pub agreement: String,
    pub party: String,
    pub violations_alleged: u64,
    pub one_party_claim: u64,
    pub corroborated: u64,
    pub contested: u64,
    pub analyst_reviewed: u64,
    pub indeterminate: u64,
    pub not_applicable: u64,
}

/// A casualty figure in a monitor's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportCount {
    pub n: u32,
    /// `exact` (default), `at_least`, `more_than`, `approx`, `up_to`.
    #[serde(default)]
    pub q: Option<ReportQualifier>,
}

/// Casualty qualifiers as a report spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportQualifier {
    Exact,
    AtLeast,
    MoreThan,
    Approx,
    UpTo,
}

/// A monitor's field report (`POST /api/v1/reports`). Vocabulary fields are plain strings so
/// that a wrong word is answered with the field named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// RFC 3339 instant or `YYYY-MM-DD`.
    pub time: String,
    pub place: Option<String>,
    pub admin1: Option<String>,
    /// ISO 3166-1 alpha-2; defaults to `UA`.
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Contract 1 target kinds.
    pub targets: Vec<String>,
    /// Contract 1 weapons.
    #[serde(default)]
    pub weapons: Vec<String>,
    /// `RU`, `UA` or `unknown`.
    #[serde(default)]
    pub perpetrator: Option<String>,
    pub killed: Option<ReportCount>,
    pub injured: Option<ReportCount>,
    /// Lower-case hex SHA-256 of each attachment.
    #[serde(default)]
    pub attachments: Vec<String>,
    pub narrative: String,
}

/// What a stored report answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportAccepted {
    /// The report's document id (SHA-256 of its canonical text).
    pub document: String,
    pub incidents: u64,
    pub events: Vec<String>,
    pub verdicts: u64,
}

/// An analyst's review (`POST /api/v1/reviews`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub event: String,
    pub agreement: String,
    /// `verify`, `dispute` or `mark_duplicate`.
    pub action: String,
    /// For `mark_duplicate`: the event this one duplicates.
    #[serde(default)]
    pub duplicate_of: Option<String>,
    pub note: String,
}

/// What a stored review answers: the verdict after the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewAccepted {
    pub review: String,
    /// The reviewed verdict (event, agreement) as the engine now gives it.
    pub verdict: VerdictView,
    /// Verdict entries the review logged (the event's verdicts it changed).
    #[serde(default)]
    pub verdicts: u64,
    /// The log's size after the review's entry and those verdicts.
    #[serde(default)]
    pub log_size: u64,
}

/// A created token (printed once; only its hash is stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenCreated {
    pub token: String,
    pub role: String,
    pub label: Option<String>,
}

/// `POST /api/v1/tokens` (admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub role: String,
    #[serde(default)]
    pub label: Option<String>,
}

/// Any error: a code, a message, and the field at fault when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorView {
    pub error: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
