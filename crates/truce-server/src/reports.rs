//! Monitor reports (`POST /api/v1/reports`) and analyst reviews (`POST /api/v1/reviews`).
//!
//! A report is validated field by field, turned into a document (a plain-text rendering of the
//! report, whose SHA-256 is its id) and one incident coded directly from its structured fields
//! (`reported_by = other`), and handed to a [`ReportSink`]: the binary may plug the ingest
//! pipeline in (events, verdicts and log entries); [`DirectSink`] stores the document, its
//! record and a single-source event in one batch.
//!
//! A review is a log entry ([`truce_wire::entry::ReviewEntry`]) that the ingest pipeline
//! appends in one batch with its store row and the verdicts it changes
//! ([`crate::pipeline::log_review`]): the verdict engine reads the reviews of an event, so a
//! replay of the log recomputes the reviewed verdicts byte for byte.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use truce_model::{
    Casualties, CodedDocument, Count, DatePrecision, DocumentMeta, Evidence, GeoPrecision,
    Incident, Qualifier, Reporter, Side, Span, Target, Weapon,
};
use truce_store::{EventRow, Query, ReviewAction, Store, StoreError, VerdictRow};
use truce_wire::api::{
    ReportAccepted, ReportCount, ReportQualifier, ReportRequest, ReviewAccepted, ReviewRequest,
};

use crate::error::ApiError;
use crate::handlers::{Caller, blocking, from_store, parse_body, value_response};
use crate::{AppState, Body, Role, views};

/// Why a sink could not take a report.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Other(String),
}

/// Where a validated report goes.
pub trait ReportSink: Send + Sync {
    /// Stores the report's document and records (and whatever follows from them); returns the
    /// events it now belongs to and how many verdicts were written.
    fn submit(
        &self,
        store: &dyn Store,
        author: &str,
        text: &str,
        coded: &CodedDocument,
    ) -> Result<(Vec<String>, u64), SinkError>;
}

/// Stores the document, its incident and a single-source event (`report-<id prefix>`) in one
/// batch; verdicts follow when the engine next runs over the store.
pub struct DirectSink;

impl ReportSink for DirectSink {
    fn submit(
        &self,
        store: &dyn Store,
        author: &str,
        text: &str,
        coded: &CodedDocument,
    ) -> Result<(Vec<String>, u64), SinkError> {
        let mut b = store.begin(author)?;
        let id = &coded.document.id;
        if !b.put_document(&coded.document, text)? {
            // Same report again: nothing new.
            let events = b.events_of_incident(&truce_store::RecordKey::new(id.clone(), 0))?;
            b.rollback()?;
            return Ok((events, 0));
        }
        b.put_records(id, &coded.incidents, &coded.statements)?;
        let mut events = Vec::new();
        for (ord, i) in coded.incidents.iter().enumerate() {
            let ev = format!("report-{}-{ord}", &id[..16.min(id.len())]);
            let n = |c: &Casualties| c.count.map(|c| c.n);
            let payload = json!({
                "date_precision": i.date_precision.as_str(),
                "weapons": i.weapons.iter().map(|w| w.as_str()).collect::<Vec<_>>(),
                "killed": {"low": n(&i.killed), "best": n(&i.killed), "high": n(&i.killed)},
                "injured": {"low": n(&i.injured), "best": n(&i.injured), "high": n(&i.injured)},
                "assertion": "one_party_claim",
                "origin": "monitor_report",
            });
            b.put_event(&EventRow {
                id: ev.clone(),
                date: i.date,
                place: i.place.clone(),
                admin1: i.admin1.clone(),
                country: i.country.clone(),
                lat: i.lat,
                lon: i.lon,
                perpetrator: i.perpetrator,
                targets: i.targets.clone(),
                payload: payload.to_string(),
                members: vec![truce_store::RecordKey::new(id.clone(), ord as u32)],
                updated_at: 0,
            })?;
            events.push(ev);
        }
        truce_store::Batch::audit(
            b.as_mut(),
            "report_document",
            id,
            "monitor report stored as a document",
        )?;
        b.commit()?;
        Ok((events, 0))
    }
}

/// Shared handle to the sink.
pub type Sink = Arc<dyn ReportSink>;

fn qualifier(q: Option<ReportQualifier>) -> Qualifier {
    match q {
        None | Some(ReportQualifier::Exact) => Qualifier::Exact,
        Some(ReportQualifier::AtLeast) => Qualifier::AtLeast,
        Some(ReportQualifier::MoreThan) => Qualifier::MoreThan,
        Some(ReportQualifier::Approx) => Qualifier::Approx,
        Some(ReportQualifier::UpTo) => Qualifier::UpTo,
    }
}

fn casualties(field: &str, c: Option<ReportCount>) -> Result<Casualties, ApiError> {
    match c {
        None => Ok(Casualties::default()),
        Some(c) if c.n > 100_000 => Err(ApiError::field(
            format!("{field}.n"),
            "more than 100000: check the figure",
        )),
        Some(c) => Ok(Casualties {
            count: Some(Count {
                n: c.n,
                q: qualifier(c.q),
            }),
            vague_low: None,
        }),
    }
}

fn opt_text(field: &str, v: &Option<String>) -> Result<Option<String>, ApiError> {
    match v {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Err(ApiError::field(field, "must not be blank")),
        Some(s) if s.len() > 200 => Err(ApiError::field(field, "longer than 200 bytes")),
        Some(s) if s.chars().any(char::is_control) => {
            Err(ApiError::field(field, "contains control characters"))
        }
        Some(s) => Ok(Some(s.trim().to_string())),
    }
}

/// The report's date: an RFC 3339 instant (its UTC day) or a plain `YYYY-MM-DD`.
fn report_date(time: &str, now: DateTime<Utc>) -> Result<NaiveDate, ApiError> {
    let day = if let Ok(t) = DateTime::parse_from_rfc3339(time) {
        t.with_timezone(&Utc).date_naive()
    } else {
        crate::params::date("time", time).map_err(|_| {
            ApiError::field(
                "time",
                format!("{time:?} is neither an RFC 3339 instant nor a date YYYY-MM-DD"),
            )
        })?
    };
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    if day < earliest {
        return Err(ApiError::field("time", "before 2000-01-01"));
    }
    if day > now.date_naive() + chrono::Days::new(1) {
        return Err(ApiError::field("time", "in the future"));
    }
    Ok(day)
}

/// Validates a report field by field and codes it: the document's text and its coded form.
pub fn code_report(
    r: &ReportRequest,
    now: DateTime<Utc>,
) -> Result<(String, CodedDocument), ApiError> {
    let date = report_date(&r.time, now)?;
    let place = opt_text("place", &r.place)?;
    let admin1 = opt_text("admin1", &r.admin1)?;
    let country = match &r.country {
        None => "UA".to_string(),
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) => c.clone(),
        Some(_) => {
            return Err(ApiError::field(
                "country",
                "must be an ISO 3166-1 alpha-2 code like UA",
            ));
        }
    };
    let (lat, lon) = match (r.lat, r.lon) {
        (Some(lat), Some(lon)) => {
            if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
                return Err(ApiError::field("lat", "must be between -90 and 90"));
            }
            if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
                return Err(ApiError::field("lon", "must be between -180 and 180"));
            }
            (Some(lat), Some(lon))
        }
        (None, None) => (None, None),
        (Some(_), None) => return Err(ApiError::field("lon", "missing while lat is given")),
        (None, Some(_)) => return Err(ApiError::field("lat", "missing while lon is given")),
    };
    if place.is_none() && admin1.is_none() && lat.is_none() {
        return Err(ApiError::field(
            "place",
            "give a place, a region (admin1) or coordinates (lat, lon)",
        ));
    }
    if r.targets.is_empty() {
        return Err(ApiError::field(
            "targets",
            "name at least one target kind (unknown if unknown)",
        ));
    }
    let mut targets = Vec::new();
    for (i, t) in r.targets.iter().enumerate() {
        let t: Target = t.parse().map_err(|e: truce_model::UnknownTerm| {
            ApiError::field(format!("targets[{i}]"), e.to_string())
        })?;
        if !targets.contains(&t) {
            targets.push(t);
        }
    }
    let mut weapons = Vec::new();
    for (i, w) in r.weapons.iter().enumerate() {
        let w: Weapon = w.parse().map_err(|e: truce_model::UnknownTerm| {
            ApiError::field(format!("weapons[{i}]"), e.to_string())
        })?;
        if !weapons.contains(&w) {
            weapons.push(w);
        }
    }
    let perpetrator: Side = match &r.perpetrator {
        None => Side::Unknown,
        Some(p) => p
            .parse()
            .map_err(|e: truce_model::UnknownTerm| ApiError::field("perpetrator", e.to_string()))?,
    };
    let killed = casualties("killed", r.killed)?;
    let injured = casualties("injured", r.injured)?;
    if r.attachments.len() > 50 {
        return Err(ApiError::field("attachments", "more than 50 attachments"));
    }
    for (i, a) in r.attachments.iter().enumerate() {
        if a.len() != 64 || !a.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(ApiError::field(
                format!("attachments[{i}]"),
                "must be a SHA-256 in 64 lower-case hex digits",
            ));
        }
    }
    let narrative = r.narrative.trim();
    if narrative.is_empty() {
        return Err(ApiError::field("narrative", "must not be blank"));
    }
    if narrative.len() > 20_000 {
        return Err(ApiError::field("narrative", "longer than 20000 bytes"));
    }

    // The document: a fixed rendering of the report; the narrative is the evidence.
    let mut text = String::from("Monitor field report\n");
    text.push_str(&format!("Time: {}\n", r.time));
    let where_ = [place.as_deref(), admin1.as_deref(), Some(country.as_str())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    text.push_str(&format!("Place: {where_}\n"));
    if let (Some(lat), Some(lon)) = (lat, lon) {
        text.push_str(&format!("Coordinates: {lat}, {lon}\n"));
    }
    let names = |v: Vec<&str>| v.join(", ");
    text.push_str(&format!(
        "Targets: {}\n",
        names(targets.iter().map(|t| t.as_str()).collect())
    ));
    text.push_str(&format!(
        "Weapons: {}\n",
        names(weapons.iter().map(|w| w.as_str()).collect())
    ));
    text.push_str(&format!("Perpetrator: {}\n", perpetrator.as_str()));
    let fig = |c: &Casualties| {
        c.count
            .map(|c| format!("{} ({})", c.n, c.q.as_str()))
            .unwrap_or_else(|| "not given".into())
    };
    text.push_str(&format!(
        "Killed: {}\nInjured: {}\n",
        fig(&killed),
        fig(&injured)
    ));
    for a in &r.attachments {
        text.push_str(&format!("Attachment SHA-256: {a}\n"));
    }
    text.push_str("Narrative: ");
    let start = text.len();
    text.push_str(narrative);
    let end = text.len();
    text.push('\n');

    let id = hex::encode(Sha256::digest(text.as_bytes()));
    let incident = Incident {
        date: Some(date),
        date_precision: DatePrecision::Day,
        place: place.clone(),
        admin1,
        country: Some(country),
        lat,
        lon,
        geo_precision: Some(if lat.is_some() || place.is_some() {
            GeoPrecision::Settlement
        } else {
            GeoPrecision::Admin1
        }),
        perpetrator,
        reported_by: Reporter::Other,
        weapons,
        targets,
        killed,
        injured,
        evidence: Evidence {
            span: Span::new(start, end),
            text: narrative.to_string(),
        },
    };
    let coded = CodedDocument {
        document: DocumentMeta {
            id,
            published: Some(now.date_naive()),
            language: "en".into(),
            url: None,
            source: Some("monitor report".into()),
            boilerplate: Vec::new(),
        },
        incidents: vec![incident],
        statements: Vec::new(),
        diagnostics: Vec::new(),
    };
    Ok((text, coded))
}

pub async fn submit(
    State(st): State<AppState>,
    c: Caller,
    body: Body,
) -> Result<Response, ApiError> {
    c.require(Role::Monitor)?;
    let req: ReportRequest = parse_body(&body.0)?;
    let (text, coded) = code_report(&req, Utc::now())?;
    let sink = Arc::clone(&st.reports);
    let body_json = serde_json::to_string(&req).map_err(ApiError::store)?;
    let author = c.author.clone();
    let turn = st.live.turn().await;
    let accepted = blocking(&st, move |s| {
        let (events, verdicts) = sink
            .submit(s, &author, &text, &coded)
            .map_err(|e| match e {
                SinkError::Store(e) => from_store(e),
                SinkError::Other(m) => ApiError::store(m),
            })?;
        s.add_report(&author, &body_json, Some(&coded.document.id))
            .map_err(from_store)?;
        Ok(ReportAccepted {
            document: coded.document.id.clone(),
            incidents: coded.incidents.len() as u64,
            events,
            verdicts,
        })
    })
    .await;
    drop(turn);
    let accepted = accepted?;
    Ok(value_response(
        StatusCode::CREATED,
        &serde_json::to_value(&accepted).map_err(ApiError::store)?,
    ))
}

/// `POST /api/v1/reviews` (analyst): an analyst verifies, disputes or marks duplicate an event
/// (naming the verdict, by agreement, they looked at). The review is a log entry, stored with
/// its row and the verdicts it changes in one atomic batch: the engine reads every review of an
/// event (`verify` gives `analyst_reviewed`, `dispute` gives `contested`, `duplicate` makes the
/// event not applicable to every agreement), so `truce verify` replays them byte for byte.
pub async fn review(
    State(st): State<AppState>,
    c: Caller,
    body: Body,
) -> Result<Response, ApiError> {
    c.require(Role::Analyst)?;
    let req: ReviewRequest = parse_body(&body.0)?;
    let action = match req.action.as_str() {
        "verify" => ReviewAction::Verify,
        "dispute" => ReviewAction::Dispute,
        "mark_duplicate" | "duplicate" => ReviewAction::Duplicate,
        other => {
            return Err(ApiError::field(
                "action",
                format!("unknown action {other:?} (expected verify, dispute or mark_duplicate)"),
            ));
        }
    };
    for (field, v) in [("event", &req.event), ("agreement", &req.agreement)] {
        if v.is_empty() || v.len() > 200 {
            return Err(ApiError::field(field, "must be 1 to 200 bytes"));
        }
        if v.chars().any(char::is_control) {
            return Err(ApiError::field(field, "contains control characters"));
        }
    }
    let note = req.note.trim().to_string();
    if note.is_empty() || note.len() > 5000 {
        return Err(ApiError::field("note", "must be 1 to 5000 bytes"));
    }
    let duplicate_of = match (action, req.duplicate_of.as_deref()) {
        (ReviewAction::Duplicate, None | Some("")) => {
            return Err(ApiError::field(
                "duplicate_of",
                "mark_duplicate needs the event this one duplicates",
            ));
        }
        (ReviewAction::Duplicate, Some(d)) if d == req.event => {
            return Err(ApiError::field(
                "duplicate_of",
                "an event cannot duplicate itself",
            ));
        }
        (ReviewAction::Duplicate, Some(d)) if d.len() > 200 => {
            return Err(ApiError::field("duplicate_of", "must be 1 to 200 bytes"));
        }
        (ReviewAction::Duplicate, Some(d)) => Some(d.to_string()),
        (_, None) => None,
        (_, Some(_)) => {
            return Err(ApiError::field(
                "duplicate_of",
                "only mark_duplicate names the event it duplicates",
            ));
        }
    };
    let entry = truce_wire::entry::ReviewEntry {
        v: truce_wire::entry::ENTRY_VERSION,
        action: action.as_str().to_string(),
        event: req.event.clone(),
        agreement: Some(req.agreement.clone()),
        duplicate_of,
        role: c.role.as_str().to_string(),
        author: c
            .token
            .map_or_else(|| c.author.clone(), |id| format!("token#{id}")),
        at: Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        reason: note,
    };
    let author = c.author.clone();
    let live = Arc::clone(&st.live);
    let turn = st.live.turn().await;
    let out = blocking(&st, move |s| {
        if let Some(d) = &entry.duplicate_of
            && s.event(d).map_err(from_store)?.is_none()
        {
            return Err(ApiError::NotFound(format!("event {d:?} (duplicate_of)")));
        }
        let verdict = |s: &dyn Store| -> Result<VerdictRow, ApiError> {
            let q = Query {
                event: Some(req.event.clone()),
                agreement: Some(req.agreement.clone()),
                ..Query::limit(1)
            };
            s.verdicts(&q)
                .map_err(from_store)?
                .items
                .into_iter()
                .next()
                .ok_or_else(|| {
                    ApiError::NotFound(format!(
                        "verdict on event {:?} under agreement {:?}",
                        req.event, req.agreement
                    ))
                })
        };
        let before = verdict(s)?;
        if action != ReviewAction::Duplicate && before.verdict == "not_applicable" {
            return Err(ApiError::Conflict(format!(
                "the verdict on {:?} under {:?} is not_applicable: nothing to {}",
                req.event, req.agreement, req.action
            )));
        }
        let logged =
            crate::pipeline::log_review(&live, s, &author, entry).map_err(|e| match e {
                SinkError::Store(e) => from_store(e),
                SinkError::Other(m) => ApiError::store(m),
            })?;
        let Some(logged) = logged else {
            return Err(ApiError::Conflict(format!(
                "event {:?} is closed: it left the merge window of {} documents (or was never \
                 logged), so the engine no longer judges it and a review would change nothing",
                req.event,
                crate::pipeline::merge_window()
            )));
        };
        let after = verdict(s)?;
        let review = s
            .reviews(&req.event)
            .map_err(from_store)?
            .into_iter()
            .rev()
            .find(|r| r.author == author && r.action == action)
            .map(|r| r.id.to_string())
            .unwrap_or_default();
        Ok(ReviewAccepted {
            review,
            verdict: views::verdict(&after),
            verdicts: logged.verdicts,
            log_size: logged.log_size,
        })
    })
    .await;
    drop(turn);
    let out = out?;
    Ok(value_response(
        StatusCode::CREATED,
        &serde_json::to_value(&out).map_err(ApiError::store)?,
    ))
}

/// `POST /api/v1/agreements` (analyst): an agreement as TOML (the body), validated, logged and
/// every event judged against it again. 201 when it changed the log, 200 when the log already
/// held this exact TOML.
pub async fn put_agreement(
    State(st): State<AppState>,
    c: Caller,
    body: Body,
) -> Result<Response, ApiError> {
    c.require(Role::Analyst)?;
    let toml = std::str::from_utf8(&body.0)
        .map_err(|e| ApiError::field("toml", format!("not UTF-8: {e}")))?
        .to_string();
    if toml.trim().is_empty() {
        return Err(ApiError::field(
            "toml",
            "empty body: send the agreement's TOML",
        ));
    }
    let sink = Arc::clone(&st.agreements);
    let author = c.author.clone();
    let turn = st.live.turn().await;
    let out = blocking(&st, move |s| {
        sink.put(s, &author, &toml).map_err(|e| match e {
            crate::pipeline::AgreementError::Invalid(m) => ApiError::field("toml", m),
            crate::pipeline::AgreementError::Sink(SinkError::Store(e)) => from_store(e),
            crate::pipeline::AgreementError::Sink(SinkError::Other(m)) => ApiError::store(m),
        })
    })
    .await;
    drop(turn);
    let out = out?;
    let status = if out.changed {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(value_response(
        status,
        &json!({"id": out.id, "changed": out.changed, "verdicts": out.verdicts}),
    ))
}
