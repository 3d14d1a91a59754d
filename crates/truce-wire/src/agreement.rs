//! Agreements, events, verdicts, commitments and compliance on the wire (owner: verdicts).
//!
//! These DTOs spell the JSON of `truce check --format json` and of agreement/verdict payloads.
//! They hold plain strings and numbers; the conversion from the domain types of
//! `truce-agreements`, `truce-events` and `truce-verdict` is written by hand at the edge that
//! prints them. Field names are a public contract: add fields freely, never rename.
//!
//! Instants are RFC 3339 strings in the agreement's time zone; dates are `YYYY-MM-DD`; absent
//! values are `null`. Lists are sorted by the engine, so the same inputs give the same bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `[start, end)`; `end` null when open-ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntervalDto {
    pub start: String,
    pub end: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowDto {
    pub start: String,
    pub end: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtectedDto {
    /// Target categories (Contract 1 vocabulary).
    pub targets: Vec<String>,
    /// Sub-kinds the agreement names, per category.
    pub sub_kinds: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeographyDto {
    /// ISO 3166-1 alpha-2 codes, or `["all"]`.
    pub countries: Vec<String>,
    /// Only these regions when not empty.
    pub admin1: Vec<String>,
    pub note: Option<String>,
}

/// One entry of a party's position timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionDto {
    pub party: String,
    /// proposed | accepted | accepted_conditionally | rejected | declared | expired
    pub position: String,
    pub date: String,
    /// When it takes effect.
    pub at: String,
    pub conditions: Vec<String>,
    pub mirror: bool,
    pub statement: String,
    pub source: String,
}

/// An agreement as data, with its derived in-force intervals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementDto {
    pub id: String,
    pub title: String,
    /// general | partial | maritime | unilateral_truce
    pub kind: String,
    pub about: String,
    pub parties: Vec<String>,
    pub mediators: Vec<String>,
    pub time_zone: String,
    pub windows: Vec<WindowDto>,
    pub protected: ProtectedDto,
    pub geography: GeographyDto,
    pub conditions: BTreeMap<String, Vec<String>>,
    pub positions: Vec<PositionDto>,
    pub notes: Option<String>,
    /// never_in_force | in_force | lapsed | pending, as of the time the caller chose.
    pub status: String,
    /// When it was in force.
    pub in_force: Vec<IntervalDto>,
    /// Parties bound at some time, and when.
    pub bound: BTreeMap<String, Vec<IntervalDto>>,
    pub file: String,
}

/// Contract 1's casualty figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountDto {
    pub n: u64,
    pub q: String,
}

/// Low / best / high over an event's sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EstimateDto {
    pub low: Option<u64>,
    pub best: Option<u64>,
    pub high: Option<u64>,
}

/// One source's report inside an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSourceDto {
    pub document: String,
    pub outlet: String,
    /// Index of the incident in its document.
    pub incident: u32,
    /// Contract 1 `reported_by`.
    pub reported_by: String,
    /// Who asserts it: `party:UA`, `outlet:reuters.com`...
    pub voice: String,
    pub date: Option<String>,
    pub perpetrator: String,
    pub targets: Vec<String>,
    pub killed: Option<CountDto>,
    pub injured: Option<CountDto>,
    pub evidence: String,
}

/// A verdict on one (event, agreement) pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictDto {
    pub agreement: String,
    /// not_applicable | violation_alleged | indeterminate
    pub verdict: String,
    /// one_party_claim | corroborated | contested | analyst_reviewed; null when not applicable.
    pub strength: Option<String>,
    pub reason: String,
    /// The rule that decided it.
    pub rule: String,
    /// The engine version that decided it.
    pub engine: String,
    /// The evidence sentences of the event's sources, in source order.
    pub evidence: Vec<String>,
}

/// A merged event with its sources and verdicts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDto {
    pub id: String,
    pub date: Option<String>,
    pub date_precision: String,
    /// Earliest and latest date its sources give.
    pub date_range: Option<[String; 2]>,
    pub place: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub perpetrator: String,
    pub weapons: Vec<String>,
    pub targets: Vec<String>,
    pub killed: EstimateDto,
    pub injured: EstimateDto,
    pub independent_sources: u64,
    pub sources: Vec<EventSourceDto>,
    pub verdicts: Vec<VerdictDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentSourceDto {
    pub document: String,
    pub outlet: String,
    pub evidence: String,
}

/// A party's commitment tracked against its forces' reported actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentDto {
    pub party: String,
    pub speaker: String,
    pub about: String,
    pub date: Option<String>,
    pub agreement: Option<String>,
    /// kept_so_far | alleged_broken | contested | not_tracked
    pub status: String,
    pub broken_by: Vec<String>,
    pub contested_by: Vec<String>,
    pub sources: Vec<CommitmentSourceDto>,
}

/// Verdict counts for one agreement and one perpetrator side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceDto {
    pub agreement: String,
    /// RU | UA | unknown
    pub party: String,
    pub not_applicable: u64,
    pub indeterminate: u64,
    pub violation_alleged: u64,
    pub one_party_claim: u64,
    pub corroborated: u64,
    pub contested: u64,
    pub analyst_reviewed: u64,
}

/// `truce check --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckReportDto {
    pub engine: String,
    pub agreements: Vec<AgreementDto>,
    pub events: Vec<EventDto>,
    pub commitments: Vec<CommitmentDto>,
    pub compliance: Vec<ComplianceDto>,
}
