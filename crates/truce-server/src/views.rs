//! Store rows to API views (by hand, field by field).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use truce_model::{Casualties, Evidence, Incident, Statement};
use truce_store::{
    AgreementRow, AuditRow, DocumentRow, EventRow, IncidentRow, Reads, RecordKey, StatementRow,
    VerdictRow,
};
use truce_wire::api::{
    AgreementView, DocumentView, Estimate, EventView, IncidentView, SourceView, StatementView,
    VerdictView, WindowView,
};
use truce_wire::entry::{CountPayload, EvidencePayload};

use crate::cache::Immutable;
use crate::error::ApiError;
use crate::handlers::from_store;

fn date(d: Option<truce_model::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn evidence(e: &Evidence) -> EvidencePayload {
    EvidencePayload {
        start: e.span.start as u64,
        end: e.span.end as u64,
        text: e.text.clone(),
    }
}

fn count(c: &Casualties) -> Option<CountPayload> {
    c.count.map(|c| CountPayload {
        n: u64::from(c.n),
        q: c.q.as_str().to_string(),
    })
}

pub fn document(d: &DocumentRow) -> DocumentView {
    DocumentView {
        id: d.meta.id.clone(),
        published: date(d.meta.published),
        language: d.meta.language.clone(),
        url: d.meta.url.clone(),
        source: d.meta.source.clone(),
        format: None,
        bytes: Some(d.text_len),
    }
}

pub fn incident(key: &RecordKey, i: &Incident) -> IncidentView {
    IncidentView {
        id: key.to_string(),
        document: key.document.clone(),
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
        killed: count(&i.killed),
        injured: count(&i.injured),
        evidence: evidence(&i.evidence),
    }
}

pub fn incident_row(r: &IncidentRow) -> IncidentView {
    incident(&r.key, &r.incident)
}

pub fn statement(key: &RecordKey, s: &Statement) -> StatementView {
    StatementView {
        id: key.to_string(),
        document: key.document.clone(),
        date: date(s.date),
        speaker: s.speaker.clone(),
        party: s.party.as_str().to_string(),
        act: s.act.as_str().to_string(),
        about: s.about.as_str().to_string(),
        target: s.target.map(|p| p.as_str().to_string()),
        evidence: evidence(&s.evidence),
    }
}

pub fn statement_row(r: &StatementRow) -> StatementView {
    statement(&r.key, &r.statement)
}

pub fn verdict(v: &VerdictRow) -> VerdictView {
    VerdictView {
        event: v.event.clone(),
        agreement: v.agreement.clone(),
        verdict: v.verdict.clone(),
        strength: v.strength.clone(),
        reason: v.reason.clone(),
        engine: v.engine.clone(),
    }
}

pub fn audit(a: &AuditRow) -> Value {
    let at = chrono::DateTime::from_timestamp_millis(a.at)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default();
    serde_json::json!({
        "id": a.id, "at": at, "author": a.author, "action": a.action,
        "subject": a.subject, "detail": a.detail,
    })
}

fn str_at<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| v.get(*k).and_then(Value::as_str))
}

fn strings_at(v: &Value, key: &str) -> Option<Vec<String>> {
    v.get(key)?.as_array().map(|a| {
        a.iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect()
    })
}

fn estimate(v: Option<&Value>) -> Option<Estimate> {
    let v = v?;
    let n = |k: &str| v.get(k).and_then(Value::as_u64);
    if !v.is_object() {
        return None;
    }
    Some(Estimate {
        low: n("low"),
        best: n("best"),
        high: n("high"),
    })
}

/// Low / best / high over the sources' figures when the event payload gives none: low counts
/// exact and "at least" figures and vague low bounds; high counts every figure; best is the
/// median of the stated figures.
fn estimate_from(figures: &[Casualties]) -> Estimate {
    let mut stated: Vec<u64> = figures
        .iter()
        .filter_map(|c| c.count.map(|c| u64::from(c.n)))
        .collect();
    let lows: Vec<u64> = figures
        .iter()
        .filter_map(|c| {
            c.count
                .map(|c| u64::from(c.n))
                .or(c.vague_low.map(u64::from))
        })
        .collect();
    stated.sort_unstable();
    Estimate {
        low: lows.iter().min().copied(),
        best: stated.get(stated.len() / 2).copied(),
        high: stated.last().copied(),
    }
}

/// A stored document (without its text) and its incidents: immutable once stored.
pub type DocRecords = Arc<(Option<DocumentRow>, Vec<IncidentRow>)>;

/// An event's JSON up to its verdicts (`{..., "verdicts":`), with the fingerprint of the row it
/// was rendered from: an event row that did not change renders the same bytes.
pub type EventJson = (u64, axum::body::Bytes);

/// Fingerprint of what an event's JSON (without verdicts) is made of: the row's columns and
/// payload, and when it was last written (writing an event writes its members: a row that did
/// not change has the same members, whose documents and records never change).
fn row_fingerprint(e: &EventRow) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    e.id.hash(&mut h);
    e.updated_at.hash(&mut h);
    e.date.hash(&mut h);
    e.place.hash(&mut h);
    e.admin1.hash(&mut h);
    e.country.hash(&mut h);
    e.lat.map(f64::to_bits).hash(&mut h);
    e.lon.map(f64::to_bits).hash(&mut h);
    e.perpetrator.as_str().hash(&mut h);
    for t in &e.targets {
        t.as_str().hash(&mut h);
    }
    e.payload.hash(&mut h);
    h.finish()
}

/// Appends `{"items":[...],"next_cursor":...}` for events rendered by [`Loader::events_json`]:
/// the bytes `serde_json` gives for a `Page<EventView>`.
pub fn page_json(
    items: &[Vec<u8>],
    next_cursor: Option<&str>,
) -> Result<Vec<u8>, serde_json::Error> {
    let len: usize = items.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(len + items.len() + 64);
    out.extend_from_slice(b"{\"items\":[");
    for (k, i) in items.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(i);
    }
    out.extend_from_slice(b"],\"next_cursor\":");
    serde_json::to_writer(&mut out, &next_cursor)?;
    out.push(b'}');
    Ok(out)
}

/// Loads documents and their incidents while building events, through a cache shared by
/// requests (documents are content-addressed and never change).
pub struct Loader<'a> {
    store: &'a dyn Reads,
    cache: &'a Immutable<DocRecords>,
    local: HashMap<String, DocRecords>,
    rendered: Option<&'a Immutable<EventJson>>,
}

impl<'a> Loader<'a> {
    pub fn new(store: &'a dyn Reads, cache: &'a Immutable<DocRecords>) -> Self {
        Loader {
            store,
            cache,
            local: HashMap::new(),
            rendered: None,
        }
    }

    /// Keeps events' rendered JSON in `rendered` (by id, checked against the row).
    pub fn with_rendered(mut self, rendered: &'a Immutable<EventJson>) -> Self {
        self.rendered = Some(rendered);
        self
    }

    /// An event's JSON up to its verdicts (`{"id":...,"verdicts":`), from the cache when the
    /// row has not changed since it was rendered. A row read without its members
    /// ([`truce_store::Reads::event_rows`]) is read again with them when it must be rendered.
    fn event_head(&mut self, e: &EventRow) -> Result<axum::body::Bytes, ApiError> {
        let fp = row_fingerprint(e);
        if let Some((f, bytes)) = self.rendered.and_then(|r| r.get(&e.id))
            && f == fp
        {
            return Ok(bytes);
        }
        let full;
        let e = if e.members.is_empty() {
            full = self.store.event(&e.id).map_err(from_store)?;
            match &full {
                // Rewritten meanwhile: render what is stored now, cached under its own row.
                Some(f) if row_fingerprint(f) == fp => f,
                Some(f) => return self.event_head(f),
                None => e,
            }
        } else {
            e
        };
        let view = self.event_with(e, Vec::new()).map_err(from_store)?;
        let mut json = serde_json::to_vec(&view).map_err(ApiError::store)?;
        // `verdicts` is the view's last field: cut its empty list and the closing brace.
        const TAIL: &[u8] = b"\"verdicts\":[]}";
        if !json.ends_with(TAIL) {
            return Err(ApiError::store(
                "an event's JSON does not end with its verdicts",
            ));
        }
        json.truncate(json.len() - 3);
        let bytes = axum::body::Bytes::from(json);
        if let Some(r) = self.rendered {
            r.put(&e.id, (fp, bytes.clone()));
        }
        Ok(bytes)
    }

    /// Events as JSON (each a complete `EventView` object, in the order given): the rows'
    /// rendered JSON (cached) and the verdicts of all of them from one store read.
    pub fn events_json(&mut self, rows: &[EventRow]) -> Result<Vec<Vec<u8>>, ApiError> {
        let ids: Vec<String> = rows.iter().map(|e| e.id.clone()).collect();
        let verdicts = self.store.verdicts_of_events(&ids).map_err(from_store)?;
        let mut by_event: HashMap<&str, Vec<&VerdictRow>> = HashMap::new();
        for v in &verdicts {
            by_event.entry(v.event.as_str()).or_default().push(v);
        }
        let mut out = Vec::with_capacity(rows.len());
        for e in rows {
            let head = self.event_head(e)?;
            let vs: Vec<VerdictView> = by_event
                .get(e.id.as_str())
                .map(|vs| vs.iter().map(|v| verdict(v)).collect())
                .unwrap_or_default();
            let mut json = Vec::with_capacity(head.len() + 160 * vs.len() + 2);
            json.extend_from_slice(&head);
            serde_json::to_writer(&mut json, &vs).map_err(ApiError::store)?;
            json.push(b'}');
            out.push(json);
        }
        Ok(out)
    }

    fn records(&mut self, doc: &str) -> Result<DocRecords, truce_store::StoreError> {
        if let Some(r) = self.local.get(doc) {
            return Ok(Arc::clone(r));
        }
        let r = match self.cache.get(doc) {
            Some(r) => r,
            None => {
                let d = self.store.document(doc)?.map(|mut d| {
                    d.text = None;
                    d
                });
                let (inc, _) = self.store.records_of(doc)?;
                let r: DocRecords = Arc::new((d, inc));
                // Only a stored document is final; an absent one may arrive later.
                if r.0.is_some() {
                    self.cache.put(doc, Arc::clone(&r));
                }
                r
            }
        };
        self.local.insert(doc.to_string(), Arc::clone(&r));
        Ok(r)
    }

    /// An event with its sources and verdicts.
    pub fn event(&mut self, e: &EventRow) -> Result<EventView, truce_store::StoreError> {
        let verdicts = self
            .store
            .verdicts_of_events(std::slice::from_ref(&e.id))?
            .iter()
            .map(verdict)
            .collect();
        self.event_with(e, verdicts)
    }

    /// Events with their sources and verdicts, in the order given: the verdicts of all of them
    /// come from one store read (not one per event).
    pub fn events(&mut self, rows: &[EventRow]) -> Result<Vec<EventView>, truce_store::StoreError> {
        let ids: Vec<String> = rows.iter().map(|e| e.id.clone()).collect();
        let mut by_event: HashMap<String, Vec<VerdictView>> = HashMap::new();
        // In (event, agreement) order, as the per-event listing gave them.
        for v in self.store.verdicts_of_events(&ids)? {
            by_event
                .entry(v.event.clone())
                .or_default()
                .push(verdict(&v));
        }
        rows.iter()
            .map(|e| {
                let verdicts = by_event.get(&e.id).cloned().unwrap_or_default();
                self.event_with(e, verdicts)
            })
            .collect()
    }

    fn event_with(
        &mut self,
        e: &EventRow,
        verdicts: Vec<VerdictView>,
    ) -> Result<EventView, truce_store::StoreError> {
        let payload: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
        let mut sources = Vec::new();
        let mut killed = Vec::new();
        let mut injured = Vec::new();
        let mut weapons: Vec<String> = Vec::new();
        let mut precision = None;
        for key in &e.members {
            let recs = self.records(&key.document)?;
            let Some(i) = recs.1.iter().find(|r| r.key == *key).map(|r| &r.incident) else {
                continue;
            };
            killed.push(i.killed);
            injured.push(i.injured);
            for w in &i.weapons {
                if !weapons.iter().any(|x| x == w.as_str()) {
                    weapons.push(w.as_str().to_string());
                }
            }
            precision.get_or_insert(i.date_precision.as_str().to_string());
            let doc = recs.0.as_ref();
            sources.push(SourceView {
                document: key.document.clone(),
                incident: Some(key.to_string()),
                reported_by: i.reported_by.as_str().to_string(),
                source: doc.and_then(|d| d.meta.url.clone().or(d.meta.source.clone())),
                published: doc.and_then(|d| date(d.meta.published)),
                killed: count(&i.killed),
                injured: count(&i.injured),
                evidence: evidence(&i.evidence),
            });
        }
        Ok(EventView {
            id: e.id.clone(),
            date: date(e.date),
            date_precision: str_at(&payload, &["date_precision"])
                .map(str::to_string)
                .or(precision)
                .unwrap_or_else(|| "unknown".into()),
            place: e.place.clone(),
            admin1: e.admin1.clone(),
            country: e.country.clone(),
            lat: e.lat.filter(|x| x.is_finite()),
            lon: e.lon.filter(|x| x.is_finite()),
            perpetrator: e.perpetrator.as_str().to_string(),
            weapons: strings_at(&payload, "weapons").unwrap_or(weapons),
            targets: e.targets.iter().map(|t| t.as_str().to_string()).collect(),
            killed: estimate(payload.get("killed")).unwrap_or_else(|| estimate_from(&killed)),
            injured: estimate(payload.get("injured")).unwrap_or_else(|| estimate_from(&injured)),
            assertion: str_at(&payload, &["assertion", "status"]).map(str::to_string),
            independent_sources: payload.get("independent_sources").and_then(Value::as_u64),
            sources,
            verdicts,
        })
    }
}

/// An agreement's view: the summary JSON's fields where it has them (`windows: [{start, end}]`,
/// or a single `window`).
pub fn agreement(a: &AgreementRow) -> AgreementView {
    let content: Value = serde_json::from_str(&a.summary).unwrap_or(Value::Null);
    let mut windows: Vec<WindowView> = Vec::new();
    let listed: Vec<&Value> = match (content.get("windows"), content.get("window")) {
        (Some(Value::Array(ws)), _) => ws.iter().collect(),
        (_, Some(w)) => vec![w],
        _ => Vec::new(),
    };
    for w in listed {
        if let (Some(s), Some(e)) = (str_at(w, &["start"]), str_at(w, &["end"])) {
            windows.push(WindowView {
                start: s.to_string(),
                end: e.to_string(),
            });
        }
    }
    let start = windows.first().map(|w| w.start.clone());
    let end = windows.last().map(|w| w.end.clone());
    let in_force = content
        .get("in_force")
        .and_then(Value::as_bool)
        .unwrap_or(!windows.is_empty());
    AgreementView {
        id: a.id.clone(),
        title: a.title.clone(),
        kind: str_at(&content, &["kind"]).unwrap_or("unknown").to_string(),
        parties: strings_at(&content, "parties").unwrap_or_default(),
        start,
        end,
        in_force,
        windows,
        content,
    }
}
