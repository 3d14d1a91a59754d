//! Contract 1 coded records and the gold schema (owner: coder).
//!
//! [`Record`] is the JSON object `truce extract` prints for one document (DESIGN.md, Contract 1);
//! [`GoldDoc`] is one line of a hand-coded `gold.jsonl` (corpus/README.md), whose evidence
//! offsets are Python character offsets: [`GoldDoc::to_model`] converts them to UTF-8 byte
//! offsets of the text.

use serde::{Deserialize, Serialize};
use truce_model::{
    About, Act, Casualties, CodedDocument, Count, DatePrecision, DocumentMeta, Evidence,
    GeoPrecision, Incident, NaiveDate, Party, Qualifier, Reporter, Side, Span, Statement, Target,
    UnknownTerm, Weapon,
};

/// A record that does not fit the domain model: names the field (`incidents[2].weapons[0]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for RecordError {}

fn bad(field: impl Into<String>, message: impl std::fmt::Display) -> RecordError {
    RecordError {
        field: field.into(),
        message: message.to_string(),
    }
}

fn term<T: std::str::FromStr<Err = UnknownTerm>>(field: String, s: &str) -> Result<T, RecordError> {
    s.parse::<T>().map_err(|e| bad(field, e))
}

fn date(field: String, s: &Option<String>) -> Result<Option<NaiveDate>, RecordError> {
    match s {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| bad(field, format!("not a date (YYYY-MM-DD): {s:?}"))),
    }
}

/// A casualty figure: `{"n": 35, "q": "at_least"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountJson {
    pub n: u32,
    pub q: String,
}

/// Evidence in Contract 1: UTF-8 byte offsets into the input and the text they cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceJson {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentJson {
    pub id: String,
    pub published: Option<String>,
    pub language: String,
    pub boilerplate: Vec<[usize; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentJson {
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
    pub killed: Option<CountJson>,
    pub injured: Option<CountJson>,
    /// Conservative low bound implied by a vague word ("dozens" -> 12); absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub killed_vague_low: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injured_vague_low: Option<u32>,
    pub evidence: EvidenceJson,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementJson {
    pub date: Option<String>,
    pub speaker: String,
    pub party: String,
    pub act: String,
    pub about: String,
    pub target: Option<String>,
    pub evidence: EvidenceJson,
}

/// A diagnostic the coder attached to its answer (an added field, not part of the minimum).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosticJson {
    pub severity: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<[usize; 2]>,
}

/// Contract 1: one coded document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub document: DocumentJson,
    pub incidents: Vec<IncidentJson>,
    pub statements: Vec<StatementJson>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<DiagnosticJson>,
}

fn count_json(c: &Casualties) -> Option<CountJson> {
    c.count.map(|c| CountJson {
        n: c.n,
        q: c.q.as_str().to_string(),
    })
}

fn evidence_json(e: &Evidence) -> EvidenceJson {
    EvidenceJson {
        start: e.span.start,
        end: e.span.end,
        text: e.text.clone(),
    }
}

impl From<&Incident> for IncidentJson {
    fn from(i: &Incident) -> Self {
        IncidentJson {
            date: i.date.map(|d| d.to_string()),
            date_precision: i.date_precision.as_str().to_string(),
            place: i.place.clone(),
            admin1: i.admin1.clone(),
            country: i.country.clone(),
            lat: i.lat,
            lon: i.lon,
            geo_precision: i.geo_precision.map(|g| g.as_str().to_string()),
            perpetrator: i.perpetrator.as_str().to_string(),
            reported_by: i.reported_by.as_str().to_string(),
            weapons: i.weapons.iter().map(|w| w.as_str().to_string()).collect(),
            targets: i.targets.iter().map(|t| t.as_str().to_string()).collect(),
            killed: count_json(&i.killed),
            injured: count_json(&i.injured),
            killed_vague_low: i.killed.vague_low,
            injured_vague_low: i.injured.vague_low,
            evidence: evidence_json(&i.evidence),
        }
    }
}

impl From<&Statement> for StatementJson {
    fn from(s: &Statement) -> Self {
        StatementJson {
            date: s.date.map(|d| d.to_string()),
            speaker: s.speaker.clone(),
            party: s.party.as_str().to_string(),
            act: s.act.as_str().to_string(),
            about: s.about.as_str().to_string(),
            target: s.target.map(|p| p.as_str().to_string()),
            evidence: evidence_json(&s.evidence),
        }
    }
}

impl From<&CodedDocument> for Record {
    fn from(d: &CodedDocument) -> Self {
        Record {
            document: DocumentJson {
                id: d.document.id.clone(),
                published: d.document.published.map(|p| p.to_string()),
                language: d.document.language.clone(),
                boilerplate: d
                    .document
                    .boilerplate
                    .iter()
                    .map(|s| [s.start, s.end])
                    .collect(),
                url: d.document.url.clone(),
                source: d.document.source.clone(),
            },
            incidents: d.incidents.iter().map(IncidentJson::from).collect(),
            statements: d.statements.iter().map(StatementJson::from).collect(),
            diagnostics: d
                .diagnostics
                .iter()
                .map(|g| DiagnosticJson {
                    severity: match g.severity {
                        truce_model::Severity::Info => "info",
                        truce_model::Severity::Warning => "warning",
                        truce_model::Severity::Error => "error",
                    }
                    .to_string(),
                    message: g.message.clone(),
                    span: g.span.map(|s| [s.start, s.end]),
                })
                .collect(),
        }
    }
}

fn casualties(
    field: String,
    c: &Option<CountJson>,
    low: Option<u32>,
) -> Result<Casualties, RecordError> {
    let count = match c {
        None => None,
        Some(c) => Some(Count {
            n: c.n,
            q: term::<Qualifier>(format!("{field}.q"), &c.q)?,
        }),
    };
    Ok(Casualties {
        count,
        vague_low: low,
    })
}

/// The typed fields of an incident on the wire.
type IncidentFields = (
    Option<NaiveDate>,
    DatePrecision,
    Side,
    Reporter,
    Vec<Weapon>,
    Vec<Target>,
);

fn incident_fields(
    f: &str,
    date_s: &Option<String>,
    precision: &str,
    perpetrator: &str,
    reported_by: &str,
    weapons: &[String],
    targets: &[String],
) -> Result<IncidentFields, RecordError> {
    Ok((
        date(format!("{f}.date"), date_s)?,
        term(format!("{f}.date_precision"), precision)?,
        term(format!("{f}.perpetrator"), perpetrator)?,
        term(format!("{f}.reported_by"), reported_by)?,
        weapons
            .iter()
            .enumerate()
            .map(|(k, w)| term(format!("{f}.weapons[{k}]"), w))
            .collect::<Result<_, _>>()?,
        targets
            .iter()
            .enumerate()
            .map(|(k, t)| term(format!("{f}.targets[{k}]"), t))
            .collect::<Result<_, _>>()?,
    ))
}

fn statement_fields(
    f: &str,
    party: &str,
    act: &str,
    about: &str,
    target: &Option<String>,
) -> Result<(Party, Act, About, Option<Party>), RecordError> {
    Ok((
        term(format!("{f}.party"), party)?,
        term(format!("{f}.act"), act)?,
        term(format!("{f}.about"), about)?,
        match target {
            None => None,
            Some(t) => Some(term(format!("{f}.target"), t)?),
        },
    ))
}

impl Record {
    /// Back to the domain model (for tools that read Contract 1 JSON).
    pub fn to_model(&self) -> Result<CodedDocument, RecordError> {
        let mut incidents = Vec::with_capacity(self.incidents.len());
        for (i, x) in self.incidents.iter().enumerate() {
            let f = format!("incidents[{i}]");
            let (d, dp, perp, rep, weapons, targets) = incident_fields(
                &f,
                &x.date,
                &x.date_precision,
                &x.perpetrator,
                &x.reported_by,
                &x.weapons,
                &x.targets,
            )?;
            incidents.push(Incident {
                date: d,
                date_precision: dp,
                place: x.place.clone(),
                admin1: x.admin1.clone(),
                country: x.country.clone(),
                lat: x.lat,
                lon: x.lon,
                geo_precision: match &x.geo_precision {
                    None => None,
                    Some(g) => Some(term::<GeoPrecision>(format!("{f}.geo_precision"), g)?),
                },
                perpetrator: perp,
                reported_by: rep,
                weapons,
                targets,
                killed: casualties(format!("{f}.killed"), &x.killed, x.killed_vague_low)?,
                injured: casualties(format!("{f}.injured"), &x.injured, x.injured_vague_low)?,
                evidence: Evidence {
                    span: Span::new(x.evidence.start, x.evidence.end),
                    text: x.evidence.text.clone(),
                },
            });
        }
        let mut statements = Vec::with_capacity(self.statements.len());
        for (i, x) in self.statements.iter().enumerate() {
            let f = format!("statements[{i}]");
            let (party, act, about, target) =
                statement_fields(&f, &x.party, &x.act, &x.about, &x.target)?;
            statements.push(Statement {
                date: date(format!("{f}.date"), &x.date)?,
                speaker: x.speaker.clone(),
                party,
                act,
                about,
                target,
                evidence: Evidence {
                    span: Span::new(x.evidence.start, x.evidence.end),
                    text: x.evidence.text.clone(),
                },
            });
        }
        Ok(CodedDocument {
            document: DocumentMeta {
                id: self.document.id.clone(),
                published: date("document.published".into(), &self.document.published)?,
                language: self.document.language.clone(),
                url: self.document.url.clone(),
                source: self.document.source.clone(),
                boilerplate: self
                    .document
                    .boilerplate
                    .iter()
                    .map(|b| Span::new(b[0], b[1]))
                    .collect(),
            },
            incidents,
            statements,
            diagnostics: Vec::new(),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The gold schema (corpus/README.md)

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldIncident {
    pub date: Option<String>,
    pub date_precision: String,
    pub place: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub perpetrator: String,
    pub reported_by: String,
    pub weapons: Vec<String>,
    pub targets: Vec<String>,
    pub killed: Option<CountJson>,
    pub injured: Option<CountJson>,
    /// `[start, end)` in Python character offsets.
    pub evidence: [usize; 2],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldStatement {
    pub date: Option<String>,
    pub speaker: String,
    pub party: String,
    pub act: String,
    pub about: String,
    pub target: Option<String>,
    /// `[start, end)` in Python character offsets.
    pub evidence: [usize; 2],
}

/// One line of a `gold.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldDoc {
    pub id: String,
    pub file: String,
    pub published: Option<String>,
    #[serde(default)]
    pub text_sha256: Option<String>,
    #[serde(default)]
    pub text_len: Option<usize>,
    #[serde(default)]
    pub incidents: Vec<GoldIncident>,
    #[serde(default)]
    pub statements: Vec<GoldStatement>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A gold document in the domain model: its incidents and statements with evidence as byte
/// offsets into its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Gold {
    pub published: Option<NaiveDate>,
    pub incidents: Vec<Incident>,
    pub statements: Vec<Statement>,
}

/// Converts a `[start, end)` range of character offsets into byte offsets of `text`.
pub fn char_span_to_bytes(text: &str, start: usize, end: usize) -> Option<Span> {
    let mut s = None;
    let mut e = None;
    let mut count = 0usize;
    for (b, _) in text.char_indices() {
        if count == start {
            s = Some(b);
        }
        if count == end {
            e = Some(b);
            break;
        }
        count += 1;
    }
    if count == start && s.is_none() {
        s = Some(text.len());
    }
    if e.is_none() && count == end {
        e = Some(text.len());
    }
    match (s, e) {
        (Some(s), Some(e)) if s <= e => Some(Span::new(s, e)),
        _ => None,
    }
}

impl GoldDoc {
    /// The gold records, with evidence offsets converted to bytes of `text`.
    pub fn to_model(&self, text: &str) -> Result<Gold, RecordError> {
        let evidence = |f: &str, ev: [usize; 2]| -> Result<Evidence, RecordError> {
            let span = char_span_to_bytes(text, ev[0], ev[1]).ok_or_else(|| {
                bad(
                    format!("{f}.evidence"),
                    format!("[{}, {}] is outside the text", ev[0], ev[1]),
                )
            })?;
            Ok(Evidence {
                span,
                text: text[span.start..span.end].to_string(),
            })
        };
        let mut incidents = Vec::new();
        for (i, x) in self.incidents.iter().enumerate() {
            let f = format!("incidents[{i}]");
            let (d, dp, perp, rep, weapons, targets) = incident_fields(
                &f,
                &x.date,
                &x.date_precision,
                &x.perpetrator,
                &x.reported_by,
                &x.weapons,
                &x.targets,
            )?;
            incidents.push(Incident {
                date: d,
                date_precision: dp,
                place: x.place.clone(),
                admin1: x.admin1.clone(),
                country: x.country.clone(),
                lat: None,
                lon: None,
                geo_precision: None,
                perpetrator: perp,
                reported_by: rep,
                weapons,
                targets,
                killed: casualties(format!("{f}.killed"), &x.killed, None)?,
                injured: casualties(format!("{f}.injured"), &x.injured, None)?,
                evidence: evidence(&f, x.evidence)?,
            });
        }
        let mut statements = Vec::new();
        for (i, x) in self.statements.iter().enumerate() {
            let f = format!("statements[{i}]");
            let (party, act, about, target) =
                statement_fields(&f, &x.party, &x.act, &x.about, &x.target)?;
            statements.push(Statement {
                date: date(format!("{f}.date"), &x.date)?,
                speaker: x.speaker.clone(),
                party,
                act,
                about,
                target,
                evidence: evidence(&f, x.evidence)?,
            });
        }
        Ok(Gold {
            published: date("published".into(), &self.published)?,
            incidents,
            statements,
        })
    }
}
