//! Log entry payloads (owner: ingest).
//!
//! Every entry of truce's log is the canonical JSON (RFC 8785) of one [`Entry`]: a document's hash
//! and metadata (never its text), a document's coded records, an agreement (the SHA-256 of its
//! TOML, the TOML itself so anyone can re-parse it, and its parsed content), or a verdict (event,
//! agreement, verdict, strength, reason, engine version and the log indices of the entries it
//! read). Each object carries `"type"` and `"v"` (the payload's schema version).
//!
//! The payloads are converted by hand from the domain types of `truce-model` (documents,
//! incidents, statements); agreements' and verdicts' domain types live in their own crates, so
//! their payloads are filled field by field by the caller.
//!
//! Parsing an entry's bytes back ([`Entry::from_bytes`]) and printing it again
//! ([`Entry::to_canonical`]) gives the same bytes: replay compares verdicts byte for byte.

use serde::{Deserialize, Serialize};
use truce_model::{
    Casualties, CodedDocument, Count, DatePrecision, DocumentMeta, Evidence, GeoPrecision,
    Incident, NaiveDate, Party, Qualifier, Span, Statement,
};

/// Schema version of the entry payloads below.
pub const ENTRY_VERSION: u32 = 1;

/// One log entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Entry {
    Document(DocumentEntry),
    Records(RecordsEntry),
    Agreement(AgreementEntry),
    Verdict(VerdictEntry),
    Review(ReviewEntry),
}

/// A document's hash and metadata (not its text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEntry {
    pub v: u32,
    /// Lower-case hex SHA-256 of the text's UTF-8 bytes.
    pub id: String,
    /// Length of the text in bytes.
    pub bytes: u64,
    /// `YYYY-MM-DD` or null.
    pub published: Option<String>,
    pub language: String,
    pub url: Option<String>,
    /// Where the text came from as the user named it (a path, `file:line` of a JSONL line).
    pub source: Option<String>,
    /// The outlet the input names (a sidecar's or JSONL line's `outlet`); absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// `text`, `html` or `jsonl`.
    pub format: String,
    /// Page clutter left uncoded, as `[start, end)` byte ranges.
    pub boilerplate: Vec<[u64; 2]>,
}

/// A document's coded records (Contract 1 incidents and statements).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordsEntry {
    pub v: u32,
    /// The document's id (its SHA-256).
    pub document: String,
    pub incidents: Vec<IncidentPayload>,
    pub statements: Vec<StatementPayload>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountPayload {
    pub n: u64,
    pub q: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidencePayload {
    pub start: u64,
    pub end: u64,
    pub text: String,
}

/// Contract 1's incident, plus the vague low bounds (`killed_vague_low`, `injured_vague_low`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentPayload {
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
    pub killed_vague_low: Option<u64>,
    pub injured: Option<CountPayload>,
    pub injured_vague_low: Option<u64>,
    pub evidence: EvidencePayload,
}

/// Contract 1's statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementPayload {
    pub date: Option<String>,
    pub speaker: String,
    pub party: String,
    pub act: String,
    pub about: String,
    pub target: Option<String>,
    pub evidence: EvidencePayload,
}

/// An agreement: the SHA-256 of its TOML file, the TOML itself, and its parsed content as the
/// agreements crate's wire form (any JSON object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreementEntry {
    pub v: u32,
    pub id: String,
    /// Lower-case hex SHA-256 of the TOML file's bytes.
    pub toml_sha256: String,
    pub toml: String,
    pub content: serde_json::Value,
}

/// A verdict on one (event, agreement) pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictEntry {
    pub v: u32,
    pub event: String,
    pub agreement: String,
    /// `not_applicable`, `violation_alleged` or `indeterminate`.
    pub verdict: String,
    /// A violation's strength (`one_party_claim`, `corroborated`, `contested`,
    /// `analyst_reviewed`), else null.
    pub strength: Option<String>,
    pub reason: String,
    pub engine: String,
    /// Log indices of the entries this verdict read (records and the agreement), ascending.
    pub read: Vec<u64>,
}

/// An analyst's review of an event: the action, the event (and the verdict, by agreement, the
/// analyst looked at), who wrote it (role and token id), when, and why. Verdict entries that
/// follow it name its log index among the entries they read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewEntry {
    pub v: u32,
    /// `verify`, `dispute` or `duplicate`.
    pub action: String,
    pub event: String,
    /// The agreement whose verdict on the event the analyst reviewed, if one was named (the
    /// review applies to the event under every agreement).
    pub agreement: Option<String>,
    /// For `duplicate`: the event this one duplicates.
    pub duplicate_of: Option<String>,
    /// The author's role (`analyst`, `admin`).
    pub role: String,
    /// The author's token (`token#3`), or another name for reviews not made over the API.
    pub author: String,
    /// When the review was made: RFC 3339, UTC, whole seconds.
    pub at: String,
    /// The analyst's reason.
    pub reason: String,
}

/// An entry's bytes could not be read back.
#[derive(Debug)]
pub struct EntryError(pub String);

impl std::fmt::Display for EntryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad log entry: {}", self.0)
    }
}

impl std::error::Error for EntryError {}

impl Entry {
    /// The entry's canonical JSON (RFC 8785) bytes: what the log stores and hashes. Fails only
    /// for a number JCS cannot print exactly (an integer beyond 2^53, a non-finite float).
    pub fn to_canonical(&self) -> Result<Vec<u8>, EntryError> {
        let value = serde_json::to_value(self).map_err(|e| EntryError(e.to_string()))?;
        crate::canonical::to_canonical_vec(&value)
            .map_err(|e| EntryError(format!("{} entry: {e}", self.kind())))
    }

    /// Parses an entry's bytes (any JSON spelling; canonical or not).
    pub fn from_bytes(bytes: &[u8]) -> Result<Entry, EntryError> {
        serde_json::from_slice(bytes).map_err(|e| EntryError(e.to_string()))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Entry::Document(_) => "document",
            Entry::Records(_) => "records",
            Entry::Agreement(_) => "agreement",
            Entry::Verdict(_) => "verdict",
            Entry::Review(_) => "review",
        }
    }
}

fn date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn span(s: Span) -> [u64; 2] {
    [s.start as u64, s.end as u64]
}

fn evidence(e: &Evidence) -> EvidencePayload {
    EvidencePayload {
        start: e.span.start as u64,
        end: e.span.end as u64,
        text: e.text.clone(),
    }
}

fn count(c: Option<Count>) -> Option<CountPayload> {
    c.map(|c| CountPayload {
        n: u64::from(c.n),
        q: c.q.as_str().to_string(),
    })
}

impl DocumentEntry {
    /// A document's entry from its metadata, text length and input format.
    pub fn from_meta(meta: &DocumentMeta, bytes: u64, format: &str) -> DocumentEntry {
        DocumentEntry {
            v: ENTRY_VERSION,
            id: meta.id.clone(),
            bytes,
            published: date(meta.published),
            language: meta.language.clone(),
            url: meta.url.clone(),
            source: meta.source.clone(),
            outlet: None,
            format: format.to_string(),
            boilerplate: meta.boilerplate.iter().copied().map(span).collect(),
        }
    }
}

impl IncidentPayload {
    pub fn from_model(i: &Incident) -> IncidentPayload {
        IncidentPayload {
            date: date(i.date),
            date_precision: i.date_precision.as_str().to_string(),
            place: i.place.clone(),
            admin1: i.admin1.clone(),
            country: i.country.clone(),
            lat: i.lat.filter(|x| x.is_finite()),
            lon: i.lon.filter(|x| x.is_finite()),
            geo_precision: i.geo_precision.map(|g| g.as_str().to_string()),
            perpetrator: i.perpetrator.as_str().to_string(),
            reported_by: i.reported_by.as_str().to_string(),
            weapons: i.weapons.iter().map(|w| w.as_str().to_string()).collect(),
            targets: i.targets.iter().map(|t| t.as_str().to_string()).collect(),
            killed: count(i.killed.count),
            killed_vague_low: i.killed.vague_low.map(u64::from),
            injured: count(i.injured.count),
            injured_vague_low: i.injured.vague_low.map(u64::from),
            evidence: evidence(&i.evidence),
        }
    }

    /// Back to the domain type; names the field that does not parse.
    pub fn to_model(&self) -> Result<Incident, EntryError> {
        Ok(Incident {
            date: parse_date("date", self.date.as_deref())?,
            date_precision: term::<DatePrecision>("date_precision", &self.date_precision)?,
            place: self.place.clone(),
            admin1: self.admin1.clone(),
            country: self.country.clone(),
            lat: self.lat,
            lon: self.lon,
            geo_precision: match &self.geo_precision {
                Some(g) => Some(term::<GeoPrecision>("geo_precision", g)?),
                None => None,
            },
            perpetrator: term("perpetrator", &self.perpetrator)?,
            reported_by: term("reported_by", &self.reported_by)?,
            weapons: self
                .weapons
                .iter()
                .map(|w| term("weapons", w))
                .collect::<Result<_, _>>()?,
            targets: self
                .targets
                .iter()
                .map(|t| term("targets", t))
                .collect::<Result<_, _>>()?,
            killed: casualties("killed", self.killed.as_ref(), self.killed_vague_low)?,
            injured: casualties("injured", self.injured.as_ref(), self.injured_vague_low)?,
            evidence: to_evidence(&self.evidence),
        })
    }
}

impl StatementPayload {
    pub fn from_model(s: &Statement) -> StatementPayload {
        StatementPayload {
            date: date(s.date),
            speaker: s.speaker.clone(),
            party: s.party.as_str().to_string(),
            act: s.act.as_str().to_string(),
            about: s.about.as_str().to_string(),
            target: s.target.map(|p| p.as_str().to_string()),
            evidence: evidence(&s.evidence),
        }
    }

    pub fn to_model(&self) -> Result<Statement, EntryError> {
        Ok(Statement {
            date: parse_date("date", self.date.as_deref())?,
            speaker: self.speaker.clone(),
            party: term("party", &self.party)?,
            act: term("act", &self.act)?,
            about: term("about", &self.about)?,
            target: match &self.target {
                Some(p) => Some(term::<Party>("target", p)?),
                None => None,
            },
            evidence: to_evidence(&self.evidence),
        })
    }
}

impl RecordsEntry {
    /// A coded document's records entry.
    pub fn from_coded(doc: &CodedDocument) -> RecordsEntry {
        RecordsEntry {
            v: ENTRY_VERSION,
            document: doc.document.id.clone(),
            incidents: doc
                .incidents
                .iter()
                .map(IncidentPayload::from_model)
                .collect(),
            statements: doc
                .statements
                .iter()
                .map(StatementPayload::from_model)
                .collect(),
        }
    }
}

fn to_evidence(e: &EvidencePayload) -> Evidence {
    Evidence {
        span: Span::new(
            usize::try_from(e.start).unwrap_or(usize::MAX),
            usize::try_from(e.end).unwrap_or(usize::MAX),
        ),
        text: e.text.clone(),
    }
}

fn term<T: std::str::FromStr<Err = truce_model::UnknownTerm>>(
    field: &str,
    s: &str,
) -> Result<T, EntryError> {
    s.parse::<T>()
        .map_err(|e| EntryError(format!("field {field}: {e}")))
}

fn parse_date(field: &str, s: Option<&str>) -> Result<Option<NaiveDate>, EntryError> {
    match s {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|e| EntryError(format!("field {field}: {s:?}: {e}"))),
    }
}

fn casualties(
    field: &str,
    c: Option<&CountPayload>,
    vague: Option<u64>,
) -> Result<Casualties, EntryError> {
    let n32 = |n: u64| {
        u32::try_from(n).map_err(|_| EntryError(format!("field {field}: {n} is too large")))
    };
    let count = match c {
        Some(c) => Some(Count {
            n: n32(c.n)?,
            q: term::<Qualifier>(field, &c.q)?,
        }),
        None => None,
    };
    let vague_low = match vague {
        Some(v) => Some(n32(v)?),
        None => None,
    };
    Ok(Casualties { count, vague_low })
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_model::{Reporter, Side, Target, Weapon};

    fn incident() -> Incident {
        Incident {
            date: NaiveDate::from_ymd_opt(2025, 4, 13),
            date_precision: DatePrecision::Day,
            place: Some("Sumy".into()),
            admin1: Some("Sumy Oblast".into()),
            country: Some("UA".into()),
            lat: Some(50.9077),
            lon: Some(34.7981),
            geo_precision: Some(GeoPrecision::Settlement),
            perpetrator: Side::Ru,
            reported_by: Reporter::Media,
            weapons: vec![Weapon::BallisticMissile],
            targets: vec![Target::Civilian],
            killed: Casualties {
                count: Some(Count {
                    n: 35,
                    q: Qualifier::AtLeast,
                }),
                vague_low: None,
            },
            injured: Casualties {
                count: None,
                vague_low: Some(12),
            },
            evidence: Evidence {
                span: Span::new(3, 20),
                text: "a \"quoted\" é line\n".into(),
            },
        }
    }

    #[test]
    fn incidents_round_trip_through_the_payload() {
        let i = incident();
        assert_eq!(IncidentPayload::from_model(&i).to_model().unwrap(), i);
    }

    #[test]
    fn entries_print_canonically_and_parse_back_to_the_same_bytes() {
        let doc = CodedDocument {
            document: DocumentMeta {
                id: "ab".repeat(32),
                language: "en".into(),
                ..Default::default()
            },
            incidents: vec![incident()],
            statements: vec![],
            diagnostics: vec![],
        };
        let e = Entry::Records(RecordsEntry::from_coded(&doc));
        let bytes = e.to_canonical().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("{\"document\":\"abab"), "{text}");
        assert!(text.contains("\"lat\":50.9077"), "{text}");
        assert!(text.ends_with(",\"type\":\"records\",\"v\":1}"), "{text}");
        let back = Entry::from_bytes(&bytes).unwrap();
        assert_eq!(back, e);
        assert_eq!(back.to_canonical().unwrap(), bytes);
    }

    #[test]
    fn a_review_entry_prints_canonically_and_parses_back() {
        let e = Entry::Review(ReviewEntry {
            v: ENTRY_VERSION,
            action: "dispute".into(),
            event: "ev-1".into(),
            agreement: Some("energy_moratorium_2025".into()),
            duplicate_of: None,
            role: "analyst".into(),
            author: "token#3".into(),
            at: "2026-11-22T13:00:00Z".into(),
            reason: "the \"video\" is from 2024".into(),
        });
        let bytes = e.to_canonical().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            text.starts_with("{\"action\":\"dispute\",\"agreement\":"),
            "{text}"
        );
        assert!(text.contains("\"duplicate_of\":null"), "{text}");
        assert!(text.ends_with(",\"type\":\"review\",\"v\":1}"), "{text}");
        let back = Entry::from_bytes(&bytes).unwrap();
        assert_eq!(back, e);
        assert_eq!(back.to_canonical().unwrap(), bytes);
    }

    #[test]
    fn a_bad_term_names_its_field() {
        let mut p = IncidentPayload::from_model(&incident());
        p.targets.push("moon".into());
        let err = p.to_model().unwrap_err().to_string();
        assert!(
            err.contains("field targets") && err.contains("moon"),
            "{err}"
        );
    }
}
