//! truce's domain types.
//!
//! Invariant: this crate knows no IO, no wire format (no serde) and no coding rules. It names
//! the things truce talks about (documents, incidents, statements) and the closed vocabularies
//! of Contract 1, each with its contract spelling (`as_str`) and a parser (`FromStr`).

pub mod vocab;

pub use chrono::NaiveDate;
pub use vocab::{
    About, Act, DatePrecision, GeoPrecision, Party, Qualifier, Reporter, Side, Target, UnknownTerm,
    Weapon,
};

/// A half-open range `[start, end)` of UTF-8 byte offsets into a document's input text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// The sentence (or clause) of the input that supports a coded record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evidence {
    pub span: Span,
    pub text: String,
}

/// A casualty figure as the text states it: "at least 35" is `Count { n: 35, q: AtLeast }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Count {
    pub n: u32,
    pub q: Qualifier,
}

/// Casualties of one kind (killed or injured) in one incident.
///
/// `count` is the figure Contract 1 prints (`null` when the text gives no number or only a vague
/// word). `vague_low` is the conservative low bound a vague word implies ("dozens" -> 12), used
/// only toward an event's low estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Casualties {
    pub count: Option<Count>,
    pub vague_low: Option<u32>,
}

/// One physical attack (strike, shelling, drone attack) as one document reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub date: Option<NaiveDate>,
    pub date_precision: DatePrecision,
    /// Settlement (or a facility's nearest settlement) in English spelling.
    pub place: Option<String>,
    /// Oblast / region; Kyiv city is "Kyiv", Crimea is "Crimea".
    pub admin1: Option<String>,
    /// ISO 3166-1 alpha-2 of where it happened.
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geo_precision: Option<GeoPrecision>,
    pub perpetrator: Side,
    pub reported_by: Reporter,
    pub weapons: Vec<Weapon>,
    pub targets: Vec<Target>,
    pub killed: Casualties,
    pub injured: Casualties,
    pub evidence: Evidence,
}

/// A position an actor takes on the ceasefire or peace process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub date: Option<NaiveDate>,
    pub speaker: String,
    pub party: Party,
    pub act: Act,
    pub about: About,
    pub target: Option<Party>,
    pub evidence: Evidence,
}

/// What truce knows about an input document before and after coding.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentMeta {
    /// Lower-case hex SHA-256 of the input text (UTF-8 bytes as read).
    pub id: String,
    pub published: Option<NaiveDate>,
    pub language: String,
    pub url: Option<String>,
    /// Where the text came from, as the user named it (a path, a JSONL line, a report id).
    pub source: Option<String>,
    /// Page clutter found in the input and left uncoded.
    pub boilerplate: Vec<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// Something the coder (or any pure stage) wants the user to know about its partial result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
}

/// The coder's answer for one document: Contract 1's object, plus diagnostics.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CodedDocument {
    pub document: DocumentMeta,
    pub incidents: Vec<Incident>,
    pub statements: Vec<Statement>,
    pub diagnostics: Vec<Diagnostic>,
}
