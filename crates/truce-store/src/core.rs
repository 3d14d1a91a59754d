//! The store's logic, written once over [`Conn`]: row conversions, listings with keyset
//! pagination, batches, jobs, the log's tables.

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use truce_model::{
    About, Act, Casualties, Count, DatePrecision, DocumentMeta, Evidence, GeoPrecision, Incident,
    NaiveDate, Party, Qualifier, Reporter, Side, Span, Statement, Target, Weapon,
};

use crate::error::{Result, StoreError};
use crate::rows::*;
use crate::sql::{Conn, Lease, Pool, Row, Value};
use crate::{Batch, Reads, Store};

/// Which SQL dialect a store speaks where the two differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Sqlite,
    Postgres,
}

pub(crate) fn now_ms() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A connection with the store's name, for errors with context.
pub(crate) struct Db<'c> {
    pub c: &'c mut dyn Conn,
    pub name: &'c str,
    /// The first statement that failed through this handle (a PostgreSQL transaction is dead
    /// after it: its batch must not pretend to commit).
    pub failed: Option<String>,
}

impl Db<'_> {
    pub(crate) fn exec(
        &mut self,
        what: impl FnOnce() -> String,
        sql: &str,
        params: &[Value],
    ) -> Result<u64> {
        match self.c.exec(sql, params) {
            Ok(n) => Ok(n),
            Err(e) => Err(self.fail(e, what())),
        }
    }

    pub(crate) fn query(
        &mut self,
        what: impl FnOnce() -> String,
        sql: &str,
        params: &[Value],
    ) -> Result<Vec<Row>> {
        match self.c.query(sql, params) {
            Ok(rows) => Ok(rows),
            Err(e) => Err(self.fail(e, what())),
        }
    }

    pub(crate) fn script(&mut self, what: impl FnOnce() -> String, sql: &str) -> Result<()> {
        match self.c.script(sql) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.fail(e, what())),
        }
    }

    fn fail(&mut self, e: crate::error::DbErr, what: String) -> StoreError {
        if self.failed.is_none() {
            self.failed = Some(what.clone());
        }
        e.ctx(self.name, what)
    }

    fn count(&mut self, what: &str, sql: &str, params: &[Value]) -> Result<u64> {
        let mut rows = self.query(|| what.to_string(), sql, params)?;
        let mut cols = Cols::new(
            rows.first_mut()
                .ok_or_else(|| StoreError::corrupt(what, "count query returned no row"))?,
            what,
        );
        cols.u64()
    }
}

/// Reads a row's values in order, taking them out of the row (no copies), naming the row on
/// corrupt data.
struct Cols<'r> {
    row: &'r mut Row,
    i: usize,
    what: &'r str,
}

impl<'r> Cols<'r> {
    fn new(row: &'r mut Row, what: &'r str) -> Self {
        Cols { row, i: 0, what }
    }

    fn next(&mut self) -> Result<Value> {
        let v = self
            .row
            .get_mut(self.i)
            .ok_or_else(|| StoreError::corrupt(self.what, format!("missing column {}", self.i)))?;
        self.i += 1;
        Ok(std::mem::replace(v, Value::Null))
    }

    fn bad(&self, expected: &str, got: &Value) -> StoreError {
        StoreError::corrupt(
            self.what,
            format!("column {} should be {expected}, found {got:?}", self.i - 1),
        )
    }

    fn text(&mut self) -> Result<String> {
        match self.next()? {
            Value::Text(s) => Ok(s),
            v => Err(self.bad("text", &v)),
        }
    }

    fn opt_text(&mut self) -> Result<Option<String>> {
        match self.next()? {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(s)),
            v => Err(self.bad("text or null", &v)),
        }
    }

    fn int(&mut self) -> Result<i64> {
        match self.next()? {
            Value::Int(i) => Ok(i),
            v => Err(self.bad("integer", &v)),
        }
    }

    fn opt_int(&mut self) -> Result<Option<i64>> {
        match self.next()? {
            Value::Null => Ok(None),
            Value::Int(i) => Ok(Some(i)),
            v => Err(self.bad("integer or null", &v)),
        }
    }

    fn u64(&mut self) -> Result<u64> {
        let i = self.int()?;
        u64::try_from(i).map_err(|_| StoreError::corrupt(self.what, format!("negative count {i}")))
    }

    fn u32(&mut self) -> Result<u32> {
        let i = self.int()?;
        u32::try_from(i).map_err(|_| StoreError::corrupt(self.what, format!("{i} is out of range")))
    }

    fn opt_u32(&mut self) -> Result<Option<u32>> {
        match self.opt_int()? {
            None => Ok(None),
            Some(i) => u32::try_from(i)
                .map(Some)
                .map_err(|_| StoreError::corrupt(self.what, format!("{i} is out of range"))),
        }
    }

    fn opt_real(&mut self) -> Result<Option<f64>> {
        match self.next()? {
            Value::Null => Ok(None),
            Value::Real(f) => Ok(Some(f)),
            Value::Int(i) => Ok(Some(i as f64)),
            v => Err(self.bad("number or null", &v)),
        }
    }

    fn blob(&mut self) -> Result<Vec<u8>> {
        match self.next()? {
            Value::Blob(b) => Ok(b),
            v => Err(self.bad("bytes", &v)),
        }
    }

    fn term<T: std::str::FromStr>(&mut self) -> Result<T>
    where
        T::Err: std::fmt::Display,
    {
        let s = self.text()?;
        s.parse::<T>()
            .map_err(|e| StoreError::corrupt(self.what, e.to_string()))
    }

    fn opt_term<T: std::str::FromStr>(&mut self) -> Result<Option<T>>
    where
        T::Err: std::fmt::Display,
    {
        match self.opt_text()? {
            None => Ok(None),
            Some(s) => s
                .parse::<T>()
                .map(Some)
                .map_err(|e| StoreError::corrupt(self.what, e.to_string())),
        }
    }

    fn date(&mut self) -> Result<Option<NaiveDate>> {
        let s = self.text()?;
        parse_date(&s).map_err(|m| StoreError::corrupt(self.what, m))
    }

    fn terms<T: std::str::FromStr>(&mut self) -> Result<Vec<T>>
    where
        T::Err: std::fmt::Display,
    {
        let s = self.text()?;
        s.split(',')
            .filter(|t| !t.is_empty())
            .map(|t| {
                t.parse::<T>()
                    .map_err(|e| StoreError::corrupt(self.what, e.to_string()))
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Conversions between domain values and columns.

fn date_text(d: Option<NaiveDate>) -> String {
    d.map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
}

fn parse_date(s: &str) -> std::result::Result<Option<NaiveDate>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|e| format!("bad date {s:?}: {e}"))
}

fn terms_text<T: Copy>(ts: &[T], name: impl Fn(T) -> &'static str) -> String {
    if ts.is_empty() {
        return String::new();
    }
    let mut s = String::from(",");
    for &t in ts {
        s.push_str(name(t));
        s.push(',');
    }
    s
}

fn int(n: impl TryInto<i64>, field: &str) -> Result<Value> {
    n.try_into()
        .map(Value::Int)
        .map_err(|_| StoreError::bad_input(field, "number too large to store"))
}

fn check_text(field: &str, s: &str) -> Result<()> {
    if s.contains('\0') {
        return Err(StoreError::bad_input(field, "contains a NUL character"));
    }
    Ok(())
}

fn check_id(field: &str, s: &str) -> Result<()> {
    if s.is_empty() {
        return Err(StoreError::bad_input(field, "is empty"));
    }
    if s.len() > 512 {
        return Err(StoreError::bad_input(field, "is longer than 512 bytes"));
    }
    check_text(field, s)
}

fn check_coord(field: &str, v: Option<f64>, bound: f64) -> Result<()> {
    match v {
        Some(x) if !x.is_finite() || x.abs() > bound => Err(StoreError::bad_input(
            field,
            format!("{x} is not a coordinate within ±{bound}"),
        )),
        _ => Ok(()),
    }
}

fn check_span(field: &str, span: Span, text: &str) -> Result<()> {
    if span.start > span.end {
        return Err(StoreError::bad_input(
            field,
            format!("span starts at {} after its end {}", span.start, span.end),
        ));
    }
    check_text(field, text)
}

pub(crate) fn sha256_hex(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    let mut s = String::with_capacity(64);
    for b in d.iter() {
        s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    s
}

fn boilerplate_text(spans: &[Span]) -> String {
    let mut s = String::new();
    for (i, sp) in spans.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!("{}-{}", sp.start, sp.end));
    }
    s
}

fn parse_boilerplate(s: &str) -> std::result::Result<Vec<Span>, String> {
    s.split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (a, b) = p.split_once('-').ok_or_else(|| format!("bad span {p:?}"))?;
            let a = a.parse().map_err(|_| format!("bad span {p:?}"))?;
            let b = b.parse().map_err(|_| format!("bad span {p:?}"))?;
            Ok(Span::new(a, b))
        })
        .collect()
}

fn entries_text(es: &[u64]) -> String {
    es.iter().map(u64::to_string).collect::<Vec<_>>().join(",")
}

const DOC_COLS: &str = "documents.published, documents.seq, documents.id, documents.language, documents.url, documents.source, documents.boilerplate, documents.ingested_at, documents.text_len";

fn document_row(row: &mut Row, text: Option<String>) -> Result<DocumentRow> {
    let mut c = Cols::new(row, "document");
    let published = c.date()?;
    c.int()?; // seq
    let id = c.text()?;
    let language = c.text()?;
    let url = c.opt_text()?;
    let source = c.opt_text()?;
    let bp = c.text()?;
    let boilerplate =
        parse_boilerplate(&bp).map_err(|m| StoreError::corrupt(format!("document {id}"), m))?;
    let ingested_at = c.int()?;
    let text_len = c.u64()?;
    Ok(DocumentRow {
        meta: DocumentMeta {
            id,
            published,
            language,
            url,
            source,
            boilerplate,
        },
        text,
        text_len,
        ingested_at,
    })
}

const INCIDENT_COLS: &str = "incidents.date, incidents.seq, incidents.document, incidents.ord, incidents.date_precision, incidents.place, incidents.admin1, incidents.country, incidents.lat, incidents.lon, incidents.geo_precision, incidents.perpetrator, incidents.reported_by, incidents.weapons, incidents.targets, incidents.killed_n, incidents.killed_q, incidents.killed_vague, incidents.injured_n, incidents.injured_q, incidents.injured_vague, incidents.ev_start, incidents.ev_end, incidents.ev_text";

fn casualties(c: &mut Cols<'_>) -> Result<Casualties> {
    let n = c.opt_u32()?;
    let q: Option<Qualifier> = c.opt_term()?;
    let vague_low = c.opt_u32()?;
    let count = match (n, q) {
        (Some(n), Some(q)) => Some(Count { n, q }),
        (None, None) => None,
        _ => {
            return Err(StoreError::corrupt(
                c.what,
                "casualty count without qualifier",
            ));
        }
    };
    Ok(Casualties { count, vague_low })
}

fn span_cols(c: &mut Cols<'_>) -> Result<Evidence> {
    let start = c.u64()? as usize;
    let end = c.u64()? as usize;
    let text = c.text()?;
    Ok(Evidence {
        span: Span::new(start, end),
        text,
    })
}

fn incident_row(row: &mut Row) -> Result<IncidentRow> {
    let mut c = Cols::new(row, "incident");
    let date = c.date()?;
    c.int()?; // seq
    let document = c.text()?;
    let ord = c.u32()?;
    let incident = Incident {
        date,
        date_precision: c.term::<DatePrecision>()?,
        place: c.opt_text()?,
        admin1: c.opt_text()?,
        country: c.opt_text()?,
        lat: c.opt_real()?,
        lon: c.opt_real()?,
        geo_precision: c.opt_term::<GeoPrecision>()?,
        perpetrator: c.term::<Side>()?,
        reported_by: c.term::<Reporter>()?,
        weapons: c.terms::<Weapon>()?,
        targets: c.terms::<Target>()?,
        killed: casualties(&mut c)?,
        injured: casualties(&mut c)?,
        evidence: span_cols(&mut c)?,
    };
    Ok(IncidentRow {
        key: RecordKey { document, ord },
        incident,
    })
}

const STATEMENT_COLS: &str = "statements.date, statements.seq, statements.document, statements.ord, statements.speaker, statements.party, statements.act, statements.about, statements.target, statements.ev_start, statements.ev_end, statements.ev_text";

fn statement_row(row: &mut Row) -> Result<StatementRow> {
    let mut c = Cols::new(row, "statement");
    let date = c.date()?;
    c.int()?; // seq
    let document = c.text()?;
    let ord = c.u32()?;
    let statement = Statement {
        date,
        speaker: c.text()?,
        party: c.term::<Party>()?,
        act: c.term::<Act>()?,
        about: c.term::<About>()?,
        target: c.opt_term::<Party>()?,
        evidence: span_cols(&mut c)?,
    };
    Ok(StatementRow {
        key: RecordKey { document, ord },
        statement,
    })
}

const EVENT_COLS: &str = "events.date, events.id, events.place, events.admin1, events.country, events.lat, events.lon, events.perpetrator, events.targets, events.payload, events.updated_at";

fn event_row(row: &mut Row) -> Result<EventRow> {
    let mut c = Cols::new(row, "event");
    Ok(EventRow {
        date: c.date()?,
        id: c.text()?,
        place: c.opt_text()?,
        admin1: c.opt_text()?,
        country: c.opt_text()?,
        lat: c.opt_real()?,
        lon: c.opt_real()?,
        perpetrator: c.term()?,
        targets: c.terms()?,
        payload: c.text()?,
        members: Vec::new(),
        updated_at: c.int()?,
    })
}

const AGREEMENT_COLS: &str = "id, title, toml, summary, updated_at";

fn agreement_row(row: &mut Row) -> Result<AgreementRow> {
    let mut c = Cols::new(row, "agreement");
    Ok(AgreementRow {
        id: c.text()?,
        title: c.text()?,
        toml: c.text()?,
        summary: c.text()?,
        updated_at: c.int()?,
    })
}

const VERDICT_COLS: &str =
    "event, agreement, verdict, strength, reason, engine, entries, updated_at";

fn verdict_row(row: &mut Row) -> Result<VerdictRow> {
    let mut c = Cols::new(row, "verdict");
    let event = c.text()?;
    let agreement = c.text()?;
    let verdict = c.text()?;
    let strength = c.opt_text()?;
    let reason = c.text()?;
    let engine = c.text()?;
    let es = c.text()?;
    let entries = es
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<u64>().map_err(|_| {
                StoreError::corrupt(
                    format!("verdict {event}/{agreement}"),
                    format!("bad log index {s:?}"),
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(VerdictRow {
        event,
        agreement,
        verdict,
        strength,
        reason,
        engine,
        entries,
        updated_at: c.int()?,
    })
}

fn report_row(row: &mut Row) -> Result<ReportRow> {
    let mut c = Cols::new(row, "report");
    Ok(ReportRow {
        id: c.int()?,
        author: c.text()?,
        body: c.text()?,
        document: c.opt_text()?,
        at: c.int()?,
    })
}

fn review_row(row: &mut Row) -> Result<ReviewRow> {
    let mut c = Cols::new(row, "review");
    Ok(ReviewRow {
        id: c.int()?,
        event: c.text()?,
        action: c.term()?,
        author: c.text()?,
        note: c.text()?,
        at: c.int()?,
    })
}

fn token_row(row: &mut Row) -> Result<TokenRow> {
    let mut c = Cols::new(row, "token");
    Ok(TokenRow {
        id: c.int()?,
        hash: c.text()?,
        role: c.term()?,
        label: c.text()?,
        created_at: c.int()?,
        revoked_at: c.opt_int()?,
    })
}

fn audit_row(row: &mut Row) -> Result<AuditRow> {
    let mut c = Cols::new(row, "audit entry");
    Ok(AuditRow {
        id: c.int()?,
        at: c.int()?,
        author: c.text()?,
        action: c.text()?,
        subject: c.text()?,
        detail: c.text()?,
    })
}

fn job_row(row: &mut Row) -> Result<JobRow> {
    let mut c = Cols::new(row, "job");
    Ok(JobRow {
        id: c.int()?,
        key: c.text()?,
        payload: c.text()?,
        state: c.term()?,
        worker: c.opt_text()?,
        attempts: c.u32()?,
        error: c.opt_text()?,
    })
}

// ---------------------------------------------------------------------------------------------
// Listings.

#[derive(Clone, Copy)]
enum KeyKind {
    Text,
    Int,
}

struct Listing {
    name: &'static str,
    /// `SELECT <key columns first>, ... FROM ...`
    select: String,
    keys: &'static [(&'static str, KeyKind)],
    allowed: &'static [&'static str],
}

fn check_filters(l: &Listing, q: &Query) -> Result<()> {
    let set = [
        ("from", q.from.is_some()),
        ("to", q.to.is_some()),
        ("place", q.place.is_some()),
        ("admin1", q.admin1.is_some()),
        ("perpetrator", q.perpetrator.is_some()),
        ("target", q.target.is_some()),
        ("party", q.party.is_some()),
        ("verdict", q.verdict.is_some()),
        ("agreement", q.agreement.is_some()),
        ("event", q.event.is_some()),
        ("document", q.document.is_some()),
    ];
    for (name, on) in set {
        if on && !l.allowed.contains(&name) {
            return Err(StoreError::BadQuery {
                listing: l.name,
                message: format!(
                    "cannot filter by {name} (filters: {})",
                    if l.allowed.is_empty() {
                        "none".to_string()
                    } else {
                        l.allowed.join(", ")
                    }
                ),
            });
        }
    }
    if q.limit > MAX_LIMIT {
        return Err(StoreError::BadQuery {
            listing: l.name,
            message: format!("limit {} is above the maximum {MAX_LIMIT}", q.limit),
        });
    }
    Ok(())
}

fn list(
    db: &mut Db<'_>,
    l: &Listing,
    mut conds: Vec<String>,
    mut params: Vec<Value>,
    q: &Query,
) -> Result<(Vec<Row>, Option<Cursor>)> {
    check_filters(l, q)?;
    let limit = if q.limit == 0 { DEFAULT_LIMIT } else { q.limit };
    if let Some(cur) = &q.after {
        let bad = |m: &str| StoreError::BadCursor {
            listing: l.name,
            cursor: cur.0.clone(),
            message: m.to_string(),
        };
        let mut parts = cur
            .decode()
            .ok_or_else(|| bad("not a cursor this store handed out"))?;
        if parts.len() != l.keys.len() + 1 || parts[0] != l.name {
            return Err(bad("it belongs to another listing"));
        }
        parts.remove(0);
        let cols: Vec<&str> = l.keys.iter().map(|k| k.0).collect();
        conds.push(format!(
            "({}) > ({})",
            cols.join(", "),
            vec!["?"; cols.len()].join(", ")
        ));
        for (p, (_, kind)) in parts.into_iter().zip(l.keys) {
            params.push(match kind {
                KeyKind::Text => Value::Text(p),
                KeyKind::Int => Value::Int(
                    p.parse()
                        .map_err(|_| bad("it belongs to another listing"))?,
                ),
            });
        }
    }
    let mut sql = l.select.clone();
    if !conds.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conds.join(" AND "));
    }
    sql.push_str(" ORDER BY ");
    sql.push_str(&l.keys.iter().map(|k| k.0).collect::<Vec<_>>().join(", "));
    // The limit is inlined (an integer we format): SQLite re-prepares a statement with a bound
    // LIMIT each time any of its parameters changes (STAT4 builds), which costs more than the query.
    sql.push_str(&format!(" LIMIT {}", u64::from(limit) + 1));
    let mut rows = db.query(|| format!("list {}", l.name), &sql, &params)?;
    let mut next = None;
    if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        if let Some(last) = rows.last() {
            let mut parts = Vec::with_capacity(l.keys.len() + 1);
            parts.push(l.name.to_string());
            for (i, _) in l.keys.iter().enumerate() {
                parts.push(match last.get(i) {
                    Some(Value::Text(s)) => s.clone(),
                    Some(Value::Int(n)) => n.to_string(),
                    v => {
                        return Err(StoreError::corrupt(
                            format!("list {}", l.name),
                            format!("key column {i} is {v:?}"),
                        ));
                    }
                });
            }
            next = Some(Cursor::encode(&parts));
        }
    }
    Ok((rows, next))
}

fn date_conds(col: &str, q: &Query, conds: &mut Vec<String>, params: &mut Vec<Value>) {
    if let Some(f) = q.from {
        conds.push(format!("{col} >= ?"));
        params.push(Value::Text(date_text(Some(f))));
    }
    if let Some(t) = q.to {
        conds.push(format!("{col} <= ?"));
        params.push(Value::Text(date_text(Some(t))));
    }
    if q.from.is_none() && q.to.is_none() {
        return;
    }
    // Unknown dates ('') never fall in a range.
    conds.push(format!("{col} <> ''"));
}

fn eq_cond(col: &str, v: &Option<String>, conds: &mut Vec<String>, params: &mut Vec<Value>) {
    if let Some(v) = v {
        conds.push(format!("{col} = ?"));
        params.push(Value::Text(v.clone()));
    }
}

pub(crate) fn documents(db: &mut Db<'_>, q: &Query) -> Result<Page<DocumentRow>> {
    let text_col = if q.with_text {
        "documents.text"
    } else {
        "NULL"
    };
    let l = Listing {
        name: "documents",
        select: format!("SELECT {DOC_COLS}, {text_col} FROM documents"),
        keys: &[
            ("documents.published", KeyKind::Text),
            ("documents.seq", KeyKind::Int),
        ],
        allowed: &["from", "to"],
    };
    let (mut conds, mut params) = (Vec::new(), Vec::new());
    date_conds("documents.published", q, &mut conds, &mut params);
    let (rows, next) = list(db, &l, conds, params, q)?;
    let items = rows
        .into_iter()
        .map(|mut r| {
            let text = match r.get_mut(9) {
                Some(Value::Text(t)) => Some(std::mem::take(t)),
                _ => None,
            };
            document_row(&mut r, text)
        })
        .collect::<Result<_>>()?;
    Ok(Page { items, next })
}

pub(crate) fn document(db: &mut Db<'_>, id: &str) -> Result<Option<DocumentRow>> {
    let mut rows = db.query(
        || format!("read document {id}"),
        &format!("SELECT {DOC_COLS}, documents.text FROM documents WHERE id = ?"),
        &[id.into()],
    )?;
    match rows.first_mut() {
        None => Ok(None),
        Some(r) => {
            let text = match r.get_mut(9) {
                Some(Value::Text(t)) => std::mem::take(t),
                v => {
                    return Err(StoreError::corrupt(
                        format!("document {id}"),
                        format!("text is {v:?}"),
                    ));
                }
            };
            document_row(r, Some(text)).map(Some)
        }
    }
}

pub(crate) fn stored_documents(db: &mut Db<'_>, ids: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT id FROM documents WHERE id IN ({})",
            vec!["?"; chunk.len()].join(", ")
        );
        let params: Vec<Value> = chunk.iter().map(Value::from).collect();
        for mut r in db.query(|| "check stored documents".to_string(), &sql, &params)? {
            out.push(Cols::new(&mut r, "document id").text()?);
        }
    }
    Ok(out)
}

fn target_cond(col: &str, t: Option<Target>, conds: &mut Vec<String>, params: &mut Vec<Value>) {
    if let Some(t) = t {
        conds.push(format!("{col} LIKE ?"));
        params.push(Value::Text(format!("%,{},%", t.as_str())));
    }
}

pub(crate) fn incidents(db: &mut Db<'_>, q: &Query) -> Result<Page<IncidentRow>> {
    let l = Listing {
        name: "incidents",
        select: format!("SELECT {INCIDENT_COLS} FROM incidents"),
        keys: &[
            ("incidents.date", KeyKind::Text),
            ("incidents.seq", KeyKind::Int),
        ],
        allowed: &[
            "from",
            "to",
            "place",
            "admin1",
            "perpetrator",
            "target",
            "document",
        ],
    };
    let (mut conds, mut params) = (Vec::new(), Vec::new());
    date_conds("incidents.date", q, &mut conds, &mut params);
    eq_cond("incidents.place", &q.place, &mut conds, &mut params);
    eq_cond("incidents.admin1", &q.admin1, &mut conds, &mut params);
    eq_cond(
        "incidents.perpetrator",
        &q.perpetrator.map(|p| p.as_str().to_string()),
        &mut conds,
        &mut params,
    );
    eq_cond("incidents.document", &q.document, &mut conds, &mut params);
    target_cond("incidents.targets", q.target, &mut conds, &mut params);
    let (mut rows, next) = list(db, &l, conds, params, q)?;
    let items = rows.iter_mut().map(incident_row).collect::<Result<_>>()?;
    Ok(Page { items, next })
}

pub(crate) fn statements(db: &mut Db<'_>, q: &Query) -> Result<Page<StatementRow>> {
    let l = Listing {
        name: "statements",
        select: format!("SELECT {STATEMENT_COLS} FROM statements"),
        keys: &[
            ("statements.date", KeyKind::Text),
            ("statements.seq", KeyKind::Int),
        ],
        allowed: &["from", "to", "party", "document"],
    };
    let (mut conds, mut params) = (Vec::new(), Vec::new());
    date_conds("statements.date", q, &mut conds, &mut params);
    eq_cond(
        "statements.party",
        &q.party.map(|p| p.as_str().to_string()),
        &mut conds,
        &mut params,
    );
    eq_cond("statements.document", &q.document, &mut conds, &mut params);
    let (mut rows, next) = list(db, &l, conds, params, q)?;
    let items = rows.iter_mut().map(statement_row).collect::<Result<_>>()?;
    Ok(Page { items, next })
}

pub(crate) fn records_of(
    db: &mut Db<'_>,
    document: &str,
) -> Result<(Vec<IncidentRow>, Vec<StatementRow>)> {
    let mut inc = db.query(
        || format!("read incidents of document {document}"),
        &format!("SELECT {INCIDENT_COLS} FROM incidents WHERE document = ? ORDER BY ord"),
        &[document.into()],
    )?;
    let mut st = db.query(
        || format!("read statements of document {document}"),
        &format!("SELECT {STATEMENT_COLS} FROM statements WHERE document = ? ORDER BY ord"),
        &[document.into()],
    )?;
    Ok((
        inc.iter_mut().map(incident_row).collect::<Result<_>>()?,
        st.iter_mut().map(statement_row).collect::<Result<_>>()?,
    ))
}

fn fill_members(db: &mut Db<'_>, events: &mut [EventRow]) -> Result<()> {
    for chunk in events.chunks_mut(500) {
        if chunk.is_empty() {
            continue;
        }
        let sql = format!(
            "SELECT event, document, ord FROM event_members WHERE event IN ({}) ORDER BY event, document, ord",
            vec!["?"; chunk.len()].join(", ")
        );
        let params: Vec<Value> = chunk.iter().map(|e| Value::from(&e.id)).collect();
        let mut rows = db.query(|| "read event members".to_string(), &sql, &params)?;
        let at: std::collections::HashMap<String, usize> = chunk
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        for r in &mut rows {
            let mut c = Cols::new(r, "event member");
            let event = c.text()?;
            let key = RecordKey {
                document: c.text()?,
                ord: c.u32()?,
            };
            if let Some(e) = at.get(&event).and_then(|&i| chunk.get_mut(i)) {
                e.members.push(key);
            }
        }
    }
    Ok(())
}

pub(crate) fn events(db: &mut Db<'_>, q: &Query) -> Result<Page<EventRow>> {
    let mut page = event_rows(db, q)?;
    fill_members(db, &mut page.items)?;
    Ok(page)
}

/// [`events`] without the members (left empty): one statement.
pub(crate) fn event_rows(db: &mut Db<'_>, q: &Query) -> Result<Page<EventRow>> {
    let l = Listing {
        name: "events",
        select: format!("SELECT {EVENT_COLS} FROM events"),
        keys: &[("events.date", KeyKind::Text), ("events.id", KeyKind::Text)],
        allowed: &[
            "from",
            "to",
            "place",
            "admin1",
            "perpetrator",
            "target",
            "verdict",
            "agreement",
        ],
    };
    let (mut conds, mut params) = (Vec::new(), Vec::new());
    date_conds("events.date", q, &mut conds, &mut params);
    eq_cond("events.place", &q.place, &mut conds, &mut params);
    eq_cond("events.admin1", &q.admin1, &mut conds, &mut params);
    eq_cond(
        "events.perpetrator",
        &q.perpetrator.map(|p| p.as_str().to_string()),
        &mut conds,
        &mut params,
    );
    target_cond("events.targets", q.target, &mut conds, &mut params);
    if q.verdict.is_some() || q.agreement.is_some() {
        let mut sub = String::from("EXISTS (SELECT 1 FROM verdicts v WHERE v.event = events.id");
        if let Some(v) = &q.verdict {
            sub.push_str(" AND v.verdict = ?");
            params.push(v.into());
        }
        if let Some(a) = &q.agreement {
            sub.push_str(" AND v.agreement = ?");
            params.push(a.into());
        }
        sub.push(')');
        conds.push(sub);
    }
    let (mut rows, next) = list(db, &l, conds, params, q)?;
    let items = rows.iter_mut().map(event_row).collect::<Result<Vec<_>>>()?;
    Ok(Page { items, next })
}

pub(crate) fn event(db: &mut Db<'_>, id: &str) -> Result<Option<EventRow>> {
    let mut rows = db.query(
        || format!("read event {id}"),
        &format!("SELECT {EVENT_COLS} FROM events WHERE id = ?"),
        &[id.into()],
    )?;
    let mut items = rows.iter_mut().map(event_row).collect::<Result<Vec<_>>>()?;
    fill_members(db, &mut items)?;
    Ok(items.pop())
}

pub(crate) fn events_of_incident(db: &mut Db<'_>, key: &RecordKey) -> Result<Vec<String>> {
    let mut rows = db.query(
        || format!("read events of incident {key}"),
        "SELECT event FROM event_members WHERE document = ? AND ord = ? ORDER BY event",
        &[key.document.as_str().into(), Value::Int(key.ord.into())],
    )?;
    rows.iter_mut()
        .map(|r| Cols::new(r, "event member").text())
        .collect()
}

pub(crate) fn agreement(db: &mut Db<'_>, id: &str) -> Result<Option<AgreementRow>> {
    let mut rows = db.query(
        || format!("read agreement {id}"),
        &format!("SELECT {AGREEMENT_COLS} FROM agreements WHERE id = ?"),
        &[id.into()],
    )?;
    rows.first_mut().map(agreement_row).transpose()
}

pub(crate) fn agreements(db: &mut Db<'_>) -> Result<Vec<AgreementRow>> {
    let mut rows = db.query(
        || "read agreements".to_string(),
        &format!("SELECT {AGREEMENT_COLS} FROM agreements ORDER BY id"),
        &[],
    )?;
    rows.iter_mut().map(agreement_row).collect()
}

pub(crate) fn verdicts(db: &mut Db<'_>, q: &Query) -> Result<Page<VerdictRow>> {
    let l = Listing {
        name: "verdicts",
        select: format!("SELECT {VERDICT_COLS} FROM verdicts"),
        keys: &[("event", KeyKind::Text), ("agreement", KeyKind::Text)],
        allowed: &["event", "agreement", "verdict"],
    };
    let (mut conds, mut params) = (Vec::new(), Vec::new());
    eq_cond("event", &q.event, &mut conds, &mut params);
    eq_cond("agreement", &q.agreement, &mut conds, &mut params);
    eq_cond("verdict", &q.verdict, &mut conds, &mut params);
    let (mut rows, next) = list(db, &l, conds, params, q)?;
    let items = rows.iter_mut().map(verdict_row).collect::<Result<_>>()?;
    Ok(Page { items, next })
}

/// The verdicts of many events in a few statements (primary-key lookups), by (event,
/// agreement); ids repeat or are absent harmlessly.
pub(crate) fn verdicts_of_events(db: &mut Db<'_>, events: &[String]) -> Result<Vec<VerdictRow>> {
    let mut ids: Vec<&str> = events.iter().map(String::as_str).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::new();
    // Sorted chunks, each ordered by the key: the whole answer is in (event, agreement) order.
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT {VERDICT_COLS} FROM verdicts WHERE event IN ({}) ORDER BY event, agreement",
            vec!["?"; chunk.len()].join(", ")
        );
        let params: Vec<Value> = chunk.iter().map(|&id| Value::from(id)).collect();
        let mut rows = db.query(
            || match chunk {
                [one] => format!("read verdicts of event {one}"),
                many => format!("read verdicts of {} events", many.len()),
            },
            &sql,
            &params,
        )?;
        for r in &mut rows {
            out.push(verdict_row(r)?);
        }
    }
    Ok(out)
}

pub(crate) fn reports(db: &mut Db<'_>, q: &Query) -> Result<Page<ReportRow>> {
    let l = Listing {
        name: "reports",
        select: "SELECT id, author, body, document, at FROM reports".to_string(),
        keys: &[("id", KeyKind::Int)],
        allowed: &[],
    };
    let (mut rows, next) = list(db, &l, Vec::new(), Vec::new(), q)?;
    let items = rows.iter_mut().map(report_row).collect::<Result<_>>()?;
    Ok(Page { items, next })
}

pub(crate) fn reviews(db: &mut Db<'_>, event: &str) -> Result<Vec<ReviewRow>> {
    let mut rows = db.query(
        || format!("read reviews of event {event}"),
        "SELECT id, event, action, author, note, at FROM reviews WHERE event = ? ORDER BY id",
        &[event.into()],
    )?;
    rows.iter_mut().map(review_row).collect()
}

pub(crate) fn audit(db: &mut Db<'_>, q: &Query) -> Result<Page<AuditRow>> {
    let l = Listing {
        name: "audit",
        select: "SELECT id, at, author, action, subject, detail FROM audit".to_string(),
        keys: &[("id", KeyKind::Int)],
        allowed: &[],
    };
    let (mut rows, next) = list(db, &l, Vec::new(), Vec::new(), q)?;
    let items = rows.iter_mut().map(audit_row).collect::<Result<_>>()?;
    Ok(Page { items, next })
}

const TOKEN_COLS: &str = "id, hash, role, label, created_at, revoked_at";

pub(crate) fn token_by_hash(db: &mut Db<'_>, hash: &str) -> Result<Option<TokenRow>> {
    let mut rows = db.query(
        || "look up token".to_string(),
        &format!("SELECT {TOKEN_COLS} FROM tokens WHERE hash = ?"),
        &[hash.into()],
    )?;
    rows.first_mut().map(token_row).transpose()
}

pub(crate) fn tokens(db: &mut Db<'_>) -> Result<Vec<TokenRow>> {
    let mut rows = db.query(
        || "list tokens".to_string(),
        &format!("SELECT {TOKEN_COLS} FROM tokens ORDER BY id"),
        &[],
    )?;
    rows.iter_mut().map(token_row).collect()
}

const JOB_COLS: &str = "id, key, payload, state, worker, attempts, error";

pub(crate) fn jobs(db: &mut Db<'_>, state: JobState, limit: u32) -> Result<Vec<JobRow>> {
    let mut rows = db.query(
        || format!("list {state} jobs"),
        &format!("SELECT {JOB_COLS} FROM jobs WHERE state = ? ORDER BY id LIMIT ?"),
        &[state.as_str().into(), Value::Int(limit.into())],
    )?;
    rows.iter_mut().map(job_row).collect()
}

pub(crate) fn job_counts(db: &mut Db<'_>) -> Result<JobCounts> {
    let mut rows = db.query(
        || "count jobs".to_string(),
        "SELECT state, COUNT(*) FROM jobs GROUP BY state",
        &[],
    )?;
    let mut out = JobCounts::default();
    for r in &mut rows {
        let mut c = Cols::new(r, "job count");
        let state: JobState = c.term()?;
        let n = c.u64()?;
        match state {
            JobState::Pending => out.pending = n,
            JobState::Running => out.running = n,
            JobState::Done => out.done = n,
            JobState::Failed => out.failed = n,
        }
    }
    Ok(out)
}

pub(crate) fn counts(db: &mut Db<'_>) -> Result<Counts> {
    let mut n = |table: &str| -> Result<u64> {
        db.count(
            &format!("count {table}"),
            &format!("SELECT COUNT(*) FROM {table}"),
            &[],
        )
    };
    Ok(Counts {
        documents: n("documents")?,
        incidents: n("incidents")?,
        statements: n("statements")?,
        events: n("events")?,
        agreements: n("agreements")?,
        verdicts: n("verdicts")?,
        reports: n("reports")?,
        reviews: n("reviews")?,
        log_size: log_size(db)?,
    })
}

pub(crate) fn log_key(db: &mut Db<'_>) -> Result<Option<LogKeyRow>> {
    let mut rows = db.query(
        || "read log key".to_string(),
        "SELECT path, verifier FROM log_key WHERE id = 1",
        &[],
    )?;
    match rows.first_mut() {
        None => Ok(None),
        Some(r) => {
            let mut c = Cols::new(r, "log key");
            Ok(Some(LogKeyRow {
                path: c.text()?,
                verifier: c.text()?,
            }))
        }
    }
}

pub(crate) fn set_log_key(db: &mut Db<'_>, k: &LogKeyRow) -> Result<()> {
    db.exec(
        || "record log key".to_string(),
        "INSERT INTO log_key (id, path, verifier) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET path = excluded.path, verifier = excluded.verifier",
        &[k.path.as_str().into(), k.verifier.as_str().into()],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The log's tables.

pub(crate) fn log_size(db: &mut Db<'_>) -> Result<u64> {
    db.count(
        "read log size",
        "SELECT COALESCE(MAX(size), 0) FROM log_checkpoints",
        &[],
    )
}

pub(crate) fn latest_checkpoint(db: &mut Db<'_>) -> Result<Option<Vec<u8>>> {
    let mut rows = db.query(
        || "read latest checkpoint".to_string(),
        "SELECT note FROM log_checkpoints ORDER BY size DESC LIMIT 1",
        &[],
    )?;
    rows.first_mut()
        .map(|r| Cols::new(r, "checkpoint").blob())
        .transpose()
}

pub(crate) fn checkpoint_at(db: &mut Db<'_>, size: u64) -> Result<Option<Vec<u8>>> {
    let mut rows = db.query(
        || format!("read checkpoint of size {size}"),
        "SELECT note FROM log_checkpoints WHERE size = ?",
        &[int(size, "size")?],
    )?;
    rows.first_mut()
        .map(|r| Cols::new(r, "checkpoint").blob())
        .transpose()
}

/// The widest stored version of tile (level, index): (width, bytes).
pub(crate) fn read_tile(db: &mut Db<'_>, level: u8, index: u64) -> Result<Option<(u16, Vec<u8>)>> {
    let mut rows = db.query(
        || format!("read tile {level}/{index}"),
        "SELECT width, data FROM log_tiles WHERE level = ? AND idx = ?",
        &[Value::Int(level.into()), int(index, "tile index")?],
    )?;
    rows.first_mut()
        .map(|r| width_and_data(r, "tile"))
        .transpose()
}

fn width_and_data(r: &mut Row, what: &str) -> Result<(u16, Vec<u8>)> {
    let mut c = Cols::new(r, what);
    let w = c.u32()?;
    let w = u16::try_from(w).map_err(|_| StoreError::corrupt(what, format!("width {w}")))?;
    Ok((w, c.blob()?))
}

/// The widest stored version of entry bundle `index`: (width, bytes).
pub(crate) fn read_bundle(db: &mut Db<'_>, index: u64) -> Result<Option<(u16, Vec<u8>)>> {
    let mut rows = db.query(
        || format!("read entry bundle {index}"),
        "SELECT width, data FROM log_bundles WHERE idx = ?",
        &[int(index, "bundle index")?],
    )?;
    rows.first_mut()
        .map(|r| width_and_data(r, "entry bundle"))
        .transpose()
}

/// What one log append writes (the store's own spelling of truce-tlog's `AppendBatch`).
pub(crate) struct LogAppend<'a> {
    pub old_size: u64,
    pub new_size: u64,
    /// (level, index, width, bytes)
    pub tiles: Vec<(u8, u64, u16, &'a [u8])>,
    /// (index, width, bytes)
    pub bundles: Vec<(u64, u16, &'a [u8])>,
    pub checkpoint: &'a [u8],
}

/// Appends to the log; the caller holds the sequencer lock. `Err(Ok(actual))` is a size
/// conflict: the store holds `actual`, not `old_size`.
pub(crate) fn log_append(
    db: &mut Db<'_>,
    a: &LogAppend<'_>,
    now: Millis,
) -> Result<std::result::Result<(), u64>> {
    let actual = log_size(db)?;
    if actual != a.old_size {
        return Ok(Err(actual));
    }
    if a.new_size < a.old_size {
        return Err(StoreError::bad_input(
            "log append",
            format!("new size {} is below old size {}", a.new_size, a.old_size),
        ));
    }
    for &(level, index, width, data) in &a.tiles {
        db.exec(
            || format!("write tile {level}/{index} (width {width})"),
            "INSERT INTO log_tiles (level, idx, width, data) VALUES (?, ?, ?, ?) ON CONFLICT (level, idx) DO UPDATE SET width = excluded.width, data = excluded.data",
            &[Value::Int(level.into()), int(index, "tile index")?, Value::Int(width.into()), data.into()],
        )?;
    }
    for &(index, width, data) in &a.bundles {
        db.exec(
            || format!("write entry bundle {index} (width {width})"),
            "INSERT INTO log_bundles (idx, width, data) VALUES (?, ?, ?) ON CONFLICT (idx) DO UPDATE SET width = excluded.width, data = excluded.data",
            &[int(index, "bundle index")?, Value::Int(width.into()), data.into()],
        )?;
    }
    db.exec(
        || format!("write checkpoint of size {}", a.new_size),
        "INSERT INTO log_checkpoints (size, note, at) VALUES (?, ?, ?) ON CONFLICT (size) DO UPDATE SET note = excluded.note, at = excluded.at",
        &[int(a.new_size, "log size")?, a.checkpoint.into(), Value::Int(now)],
    )?;
    Ok(Ok(()))
}

// ---------------------------------------------------------------------------------------------
// Writes.

fn document_values(meta: &DocumentMeta, text: &str, now: Millis) -> Result<Vec<Value>> {
    let id = &meta.id;
    if id.len() != 64 || !id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(StoreError::bad_input(
            "document.id",
            format!("{id:?} is not a lower-case hex SHA-256"),
        ));
    }
    let actual = sha256_hex(text.as_bytes());
    if *id != actual {
        return Err(StoreError::bad_input(
            "document.id",
            format!("{id} is not the SHA-256 of the text ({actual})"),
        ));
    }
    let field = |f: &str| format!("document {id}: {f}");
    check_text(&field("document.text"), text)?;
    check_id(&field("document.language"), &meta.language)?;
    for (f, v) in [
        ("document.url", &meta.url),
        ("document.source", &meta.source),
    ] {
        if let Some(v) = v {
            check_text(&field(f), v)?;
        }
    }
    for (i, sp) in meta.boilerplate.iter().enumerate() {
        check_span(&field(&format!("document.boilerplate[{i}]")), *sp, "")?;
    }
    Ok(vec![
        id.into(),
        text.into(),
        int(text.len(), "document.text")?,
        date_text(meta.published).into(),
        meta.language.as_str().into(),
        meta.url.clone().into(),
        meta.source.clone().into(),
        boilerplate_text(&meta.boilerplate).into(),
        Value::Int(now),
    ])
}

const DOCUMENT_INSERT: &str = "INSERT INTO documents (id, text, text_len, published, language, url, source, boilerplate, ingested_at)";
const INCIDENT_INSERT: &str = "INSERT INTO incidents (document, ord, date, date_precision, place, admin1, country, lat, lon, geo_precision, perpetrator, reported_by, weapons, targets, killed_n, killed_q, killed_vague, injured_n, injured_q, injured_vague, ev_start, ev_end, ev_text)";
const STATEMENT_INSERT: &str = "INSERT INTO statements (document, ord, date, speaker, party, act, about, target, ev_start, ev_end, ev_text)";

/// Rows per multi-row INSERT: under both backends' parameter limits (SQLite 32766,
/// PostgreSQL 65535) for the widest table (23 columns).
const ROWS_PER_INSERT: usize = 256;

/// Inserts rows with multi-row `VALUES` statements (one round trip per chunk); returns the
/// rows the `tail` (e.g. `RETURNING id`) yields.
fn insert_rows(
    db: &mut Db<'_>,
    what: &dyn Fn() -> String,
    head: &str,
    tail: &str,
    rows: &[Vec<Value>],
) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let Some(first) = chunk.first() else { continue };
        let one = format!("({})", vec!["?"; first.len()].join(", "));
        let sql = format!(
            "{head} VALUES {}{}{tail}",
            vec![one.as_str(); chunk.len()].join(", "),
            if tail.is_empty() { "" } else { " " }
        );
        let params: Vec<Value> = chunk.iter().flatten().cloned().collect();
        if !tail.contains("RETURNING") {
            db.exec(what, &sql, &params)?;
        } else {
            out.extend(db.query(what, &sql, &params)?);
        }
    }
    Ok(out)
}

/// Stores documents with their records; `false` for each already stored (or repeated in
/// `docs`): its records are not written.
pub(crate) fn put_documents(
    db: &mut Db<'_>,
    docs: &[crate::NewDocument<'_>],
    now: Millis,
) -> Result<Vec<bool>> {
    let mut rows = Vec::with_capacity(docs.len());
    let mut first_seen = std::collections::HashSet::with_capacity(docs.len());
    let mut candidate = Vec::with_capacity(docs.len());
    for d in docs {
        let values = document_values(d.meta, d.text, now)?;
        incident_rows(&d.meta.id, d.incidents)?;
        statement_rows(&d.meta.id, d.statements)?;
        let fresh = first_seen.insert(d.meta.id.as_str());
        candidate.push(fresh);
        if fresh {
            rows.push(values);
        }
    }
    let what = || {
        if docs.len() == 1 {
            format!("store document {}", docs[0].meta.id)
        } else {
            format!("store {} documents", docs.len())
        }
    };
    let mut inserted = insert_rows(
        db,
        &what,
        DOCUMENT_INSERT,
        "ON CONFLICT (id) DO NOTHING RETURNING id",
        &rows,
    )?;
    let mut new_ids = std::collections::HashSet::with_capacity(inserted.len());
    for r in &mut inserted {
        new_ids.insert(Cols::new(r, "document id").text()?);
    }
    let mut incidents = Vec::new();
    let mut statements = Vec::new();
    let mut fresh = Vec::with_capacity(docs.len());
    for (d, cand) in docs.iter().zip(candidate) {
        let is_new = cand && new_ids.contains(&d.meta.id);
        fresh.push(is_new);
        if is_new {
            incidents.extend(incident_rows(&d.meta.id, d.incidents)?);
            statements.extend(statement_rows(&d.meta.id, d.statements)?);
        }
    }
    insert_rows(
        db,
        &|| format!("{}: incidents", what()),
        INCIDENT_INSERT,
        "",
        &incidents,
    )?;
    insert_rows(
        db,
        &|| format!("{}: statements", what()),
        STATEMENT_INSERT,
        "",
        &statements,
    )?;
    Ok(fresh)
}

fn casualty_values(c: &Casualties, out: &mut Vec<Value>) {
    match c.count {
        Some(k) => {
            out.push(Value::Int(k.n.into()));
            out.push(k.q.as_str().into());
        }
        None => {
            out.push(Value::Null);
            out.push(Value::Null);
        }
    }
    out.push(c.vague_low.map(i64::from).into());
}

fn incident_rows(document: &str, incidents: &[Incident]) -> Result<Vec<Vec<Value>>> {
    let mut rows = Vec::with_capacity(incidents.len());
    for (i, inc) in incidents.iter().enumerate() {
        let field = |f: &str| format!("incident {i} of document {document}: {f}");
        check_coord(&field("lat"), inc.lat, 90.0)?;
        check_coord(&field("lon"), inc.lon, 180.0)?;
        check_span(&field("evidence"), inc.evidence.span, &inc.evidence.text)?;
        for (f, v) in [
            ("place", &inc.place),
            ("admin1", &inc.admin1),
            ("country", &inc.country),
        ] {
            if let Some(v) = v {
                check_text(&field(f), v)?;
            }
        }
        let mut p: Vec<Value> = Vec::with_capacity(23);
        p.push(document.into());
        p.push(int(i, &field("ord"))?);
        p.push(date_text(inc.date).into());
        p.push(inc.date_precision.as_str().into());
        p.push(inc.place.clone().into());
        p.push(inc.admin1.clone().into());
        p.push(inc.country.clone().into());
        p.push(inc.lat.into());
        p.push(inc.lon.into());
        p.push(inc.geo_precision.map(|g| g.as_str()).into());
        p.push(inc.perpetrator.as_str().into());
        p.push(inc.reported_by.as_str().into());
        p.push(terms_text(&inc.weapons, Weapon::as_str).into());
        p.push(terms_text(&inc.targets, Target::as_str).into());
        casualty_values(&inc.killed, &mut p);
        casualty_values(&inc.injured, &mut p);
        p.push(int(inc.evidence.span.start, &field("evidence.start"))?);
        p.push(int(inc.evidence.span.end, &field("evidence.end"))?);
        p.push(inc.evidence.text.as_str().into());
        rows.push(p);
    }
    Ok(rows)
}

fn statement_rows(document: &str, statements: &[Statement]) -> Result<Vec<Vec<Value>>> {
    let mut rows = Vec::with_capacity(statements.len());
    for (i, st) in statements.iter().enumerate() {
        let field = |f: &str| format!("statement {i} of document {document}: {f}");
        check_text(&field("speaker"), &st.speaker)?;
        check_span(&field("evidence"), st.evidence.span, &st.evidence.text)?;
        rows.push(vec![
            document.into(),
            int(i, &field("ord"))?,
            date_text(st.date).into(),
            st.speaker.as_str().into(),
            st.party.as_str().into(),
            st.act.as_str().into(),
            st.about.as_str().into(),
            st.target.map(|t| t.as_str()).into(),
            int(st.evidence.span.start, &field("evidence.start"))?,
            int(st.evidence.span.end, &field("evidence.end"))?,
            st.evidence.text.as_str().into(),
        ]);
    }
    Ok(rows)
}

pub(crate) fn put_records(
    db: &mut Db<'_>,
    document: &str,
    incidents: &[Incident],
    statements: &[Statement],
) -> Result<()> {
    let inc = incident_rows(document, incidents)?;
    let st = statement_rows(document, statements)?;
    insert_rows(
        db,
        &|| format!("store incidents of document {document}"),
        INCIDENT_INSERT,
        "",
        &inc,
    )?;
    insert_rows(
        db,
        &|| format!("store statements of document {document}"),
        STATEMENT_INSERT,
        "",
        &st,
    )?;
    Ok(())
}

/// Which of `ids` exist in `table.col` (chunked `IN` queries).
fn existing(
    db: &mut Db<'_>,
    table: &str,
    col: &str,
    ids: &std::collections::BTreeSet<&str>,
) -> Result<std::collections::HashSet<String>> {
    let ids: Vec<&str> = ids.iter().copied().collect();
    let mut out = std::collections::HashSet::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT {col} FROM {table} WHERE {col} IN ({})",
            vec!["?"; chunk.len()].join(", ")
        );
        let params: Vec<Value> = chunk.iter().map(|s| Value::from(*s)).collect();
        for mut r in db.query(|| format!("look up {table}"), &sql, &params)? {
            out.insert(Cols::new(&mut r, table).text()?);
        }
    }
    Ok(out)
}

fn constraint(db: &Db<'_>, what: String, message: &str) -> StoreError {
    StoreError::Constraint {
        store: db.name.to_string(),
        what,
        message: message.to_string(),
    }
}

/// Keeps the last of rows with the same key (a multi-row upsert may not touch a row twice).
fn last_by_key<T, K: Eq + std::hash::Hash>(rows: &[T], key: impl Fn(&T) -> K) -> Vec<&T> {
    let mut at = std::collections::HashMap::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        at.insert(key(r), i);
    }
    let mut keep: Vec<usize> = at.into_values().collect();
    keep.sort_unstable();
    keep.into_iter().filter_map(|i| rows.get(i)).collect()
}

pub(crate) fn put_events(db: &mut Db<'_>, events: &[EventRow], now: Millis) -> Result<()> {
    for e in events {
        check_id("event.id", &e.id)?;
        check_coord(&format!("event {}: lat", e.id), e.lat, 90.0)?;
        check_coord(&format!("event {}: lon", e.id), e.lon, 180.0)?;
        check_text(&format!("event {}: payload", e.id), &e.payload)?;
    }
    let events = last_by_key(events, |e| e.id.clone());
    // Members must be stored incidents: checked up front so the error names the member.
    let docs: std::collections::BTreeSet<&str> = events
        .iter()
        .flat_map(|e| e.members.iter().map(|m| m.document.as_str()))
        .collect();
    let mut stored = std::collections::HashSet::new();
    let docs: Vec<&str> = docs.into_iter().collect();
    for chunk in docs.chunks(500) {
        let sql = format!(
            "SELECT document, ord FROM incidents WHERE document IN ({})",
            vec!["?"; chunk.len()].join(", ")
        );
        let params: Vec<Value> = chunk.iter().map(|s| Value::from(*s)).collect();
        for mut r in db.query(|| "look up event members".to_string(), &sql, &params)? {
            let mut c = Cols::new(&mut r, "incident key");
            stored.insert((c.text()?, c.u32()?));
        }
    }
    for e in &events {
        for m in &e.members {
            if !stored.contains(&(m.document.clone(), m.ord)) {
                return Err(constraint(
                    db,
                    format!("store event {}: member incident {m}", e.id),
                    "no such incident is stored",
                ));
            }
        }
    }
    let rows: Vec<Vec<Value>> = events
        .iter()
        .map(|e| {
            vec![
                e.id.as_str().into(),
                date_text(e.date).into(),
                e.place.clone().into(),
                e.admin1.clone().into(),
                e.country.clone().into(),
                e.lat.into(),
                e.lon.into(),
                e.perpetrator.as_str().into(),
                terms_text(&e.targets, Target::as_str).into(),
                e.payload.as_str().into(),
                Value::Int(now),
            ]
        })
        .collect();
    let what = || match events.as_slice() {
        [one] => format!("store event {}", one.id),
        many => format!("store {} events", many.len()),
    };
    insert_rows(
        db,
        &what,
        "INSERT INTO events (id, date, place, admin1, country, lat, lon, perpetrator, targets, payload, updated_at)",
        "ON CONFLICT (id) DO UPDATE SET date = excluded.date, place = excluded.place, admin1 = excluded.admin1, country = excluded.country, lat = excluded.lat, lon = excluded.lon, perpetrator = excluded.perpetrator, targets = excluded.targets, payload = excluded.payload, updated_at = excluded.updated_at",
        &rows,
    )?;
    for chunk in events.chunks(500) {
        let sql = format!(
            "DELETE FROM event_members WHERE event IN ({})",
            vec!["?"; chunk.len()].join(", ")
        );
        let params: Vec<Value> = chunk.iter().map(|e| Value::from(&e.id)).collect();
        db.exec(|| format!("{}: replace members", what()), &sql, &params)?;
    }
    let mut members = Vec::new();
    for e in &events {
        let mut seen = std::collections::HashSet::new();
        for m in &e.members {
            if seen.insert(m) {
                members.push(vec![
                    e.id.as_str().into(),
                    m.document.as_str().into(),
                    Value::Int(m.ord.into()),
                ]);
            }
        }
    }
    insert_rows(
        db,
        &|| format!("{}: members", what()),
        "INSERT INTO event_members (event, document, ord)",
        "",
        &members,
    )?;
    Ok(())
}

pub(crate) fn delete_event(db: &mut Db<'_>, id: &str) -> Result<bool> {
    let n = db.exec(
        || format!("delete event {id}"),
        "DELETE FROM events WHERE id = ?",
        &[id.into()],
    )?;
    Ok(n > 0)
}

pub(crate) fn put_agreement(db: &mut Db<'_>, a: &AgreementRow, now: Millis) -> Result<()> {
    check_id("agreement.id", &a.id)?;
    for (f, v) in [
        ("title", &a.title),
        ("toml", &a.toml),
        ("summary", &a.summary),
    ] {
        check_text(&format!("agreement {}: {f}", a.id), v)?;
    }
    db.exec(
        || format!("store agreement {}", a.id),
        "INSERT INTO agreements (id, title, toml, summary, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title, toml = excluded.toml, summary = excluded.summary, updated_at = excluded.updated_at",
        &[
            a.id.as_str().into(),
            a.title.as_str().into(),
            a.toml.as_str().into(),
            a.summary.as_str().into(),
            Value::Int(now),
        ],
    )?;
    Ok(())
}

pub(crate) fn put_verdicts(db: &mut Db<'_>, verdicts: &[VerdictRow], now: Millis) -> Result<()> {
    for v in verdicts {
        let what = format!("verdict {}/{}", v.event, v.agreement);
        check_id(&format!("{what}: verdict"), &v.verdict)?;
        check_id(&format!("{what}: engine"), &v.engine)?;
        check_text(&format!("{what}: reason"), &v.reason)?;
        if let Some(s) = &v.strength {
            check_id(&format!("{what}: strength"), s)?;
        }
    }
    let verdicts = last_by_key(verdicts, |v| (v.event.clone(), v.agreement.clone()));
    // The event and the agreement must be stored: checked up front to name them.
    let events = existing(
        db,
        "events",
        "id",
        &verdicts.iter().map(|v| v.event.as_str()).collect(),
    )?;
    let agreements = existing(
        db,
        "agreements",
        "id",
        &verdicts.iter().map(|v| v.agreement.as_str()).collect(),
    )?;
    for v in &verdicts {
        let what = || format!("store verdict {}/{}", v.event, v.agreement);
        if !events.contains(&v.event) {
            return Err(constraint(db, what(), "no such event is stored"));
        }
        if !agreements.contains(&v.agreement) {
            return Err(constraint(db, what(), "no such agreement is stored"));
        }
    }
    let rows: Vec<Vec<Value>> = verdicts
        .iter()
        .map(|v| {
            vec![
                v.event.as_str().into(),
                v.agreement.as_str().into(),
                v.verdict.as_str().into(),
                v.strength.clone().into(),
                v.reason.as_str().into(),
                v.engine.as_str().into(),
                entries_text(&v.entries).into(),
                Value::Int(now),
            ]
        })
        .collect();
    insert_rows(
        db,
        &|| match verdicts.as_slice() {
            [one] => format!("store verdict {}/{}", one.event, one.agreement),
            many => format!("store {} verdicts", many.len()),
        },
        "INSERT INTO verdicts (event, agreement, verdict, strength, reason, engine, entries, updated_at)",
        "ON CONFLICT (event, agreement) DO UPDATE SET verdict = excluded.verdict, strength = excluded.strength, reason = excluded.reason, engine = excluded.engine, entries = excluded.entries, updated_at = excluded.updated_at",
        &rows,
    )?;
    Ok(())
}

pub(crate) fn add_audit(
    db: &mut Db<'_>,
    author: &str,
    action: &str,
    subject: &str,
    detail: &str,
    now: Millis,
) -> Result<()> {
    check_id("audit author", author)?;
    check_id("audit action", action)?;
    check_text("audit subject", subject)?;
    check_text("audit detail", detail)?;
    db.exec(
        || format!("record audit entry {action} {subject}"),
        "INSERT INTO audit (at, author, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        &[
            Value::Int(now),
            author.into(),
            action.into(),
            subject.into(),
            detail.into(),
        ],
    )?;
    Ok(())
}

/// Stores a review of a stored event (a bad-input error names `review.event` otherwise).
pub(crate) fn insert_review(
    db: &mut Db<'_>,
    author: &str,
    review: &NewReview,
    now: Millis,
) -> Result<ReviewRow> {
    if event(db, &review.event)?.is_none() {
        return Err(StoreError::bad_input(
            "review.event",
            format!("no event {:?}", review.event),
        ));
    }
    let mut rows = db.query(
        || format!("store review of event {}", review.event),
        "INSERT INTO reviews (event, action, author, note, at) VALUES (?, ?, ?, ?, ?) RETURNING id, event, action, author, note, at",
        &[
            review.event.as_str().into(),
            review.action.as_str().into(),
            author.into(),
            review.note.as_str().into(),
            Value::Int(now),
        ],
    )?;
    rows.first_mut()
        .map(review_row)
        .transpose()?
        .ok_or_else(|| StoreError::corrupt("store review", "no row returned"))
}

pub(crate) fn finish_job(db: &mut Db<'_>, id: i64) -> Result<()> {
    let n = db.exec(
        || format!("finish job {id}"),
        "UPDATE jobs SET state = 'done', error = NULL WHERE id = ?",
        &[Value::Int(id)],
    )?;
    if n == 0 {
        return Err(StoreError::bad_input("job", format!("no job with id {id}")));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The store and its batches.

/// Everything a backend adds to the shared logic.
pub(crate) struct Dialect {
    pub kind: Kind,
    /// Advisory lock key serialising log appends (PostgreSQL).
    pub log_lock_key: i64,
}

pub(crate) struct SqlStore<C: Conn> {
    pub name: String,
    pub pool: Pool<C>,
    pub dialect: Dialect,
    pub key_path: std::path::PathBuf,
}

/// Something that can lend a connection: the store (pooled, autocommit) or a batch (its open
/// transaction).
pub(crate) trait Runner {
    fn run<R>(&self, f: impl FnOnce(&mut Db<'_>) -> Result<R>) -> Result<R>;
}

impl<C: Conn> SqlStore<C> {
    pub(crate) fn lease(&self) -> Result<Lease<'_, C>> {
        self.pool.get().map_err(|e| e.ctx(&self.name, "connect"))
    }

    fn begin_sql(&self) -> &'static str {
        match self.dialect.kind {
            Kind::Sqlite => "BEGIN IMMEDIATE",
            Kind::Postgres => "BEGIN",
        }
    }

    pub(crate) fn begin_batch(&self, author: &str) -> Result<SqlBatch<'_, C>> {
        let mut lease = self.lease()?;
        let c = lease.conn().map_err(|e| e.ctx(&self.name, "begin batch"))?;
        c.script(self.begin_sql())
            .map_err(|e| e.ctx(&self.name, "begin batch"))?;
        Ok(SqlBatch {
            store: self,
            lease: RefCell::new(lease),
            author: author.to_string(),
            open: true,
            log_locked: std::cell::Cell::new(false),
            now: now_ms(),
            tally: RefCell::new(Tally::default()),
            poisoned: RefCell::new(None),
        })
    }
}

impl<C: Conn> Runner for SqlStore<C> {
    fn run<R>(&self, f: impl FnOnce(&mut Db<'_>) -> Result<R>) -> Result<R> {
        let mut lease = self.lease()?;
        let c = lease.conn().map_err(|e| e.ctx(&self.name, "connect"))?;
        f(&mut Db {
            failed: None,
            c,
            name: &self.name,
        })
    }
}

#[derive(Default)]
struct Tally {
    documents: u64,
    skipped: u64,
    incidents: u64,
    statements: u64,
    events: u64,
    agreements: u64,
    verdicts: u64,
    jobs: u64,
    log: Option<(u64, u64)>,
}

impl Tally {
    fn any(&self) -> bool {
        self.documents
            + self.skipped
            + self.incidents
            + self.statements
            + self.events
            + self.agreements
            + self.verdicts
            + self.jobs
            > 0
            || self.log.is_some()
    }

    fn describe(&self) -> String {
        let mut parts = vec![
            format!("{} documents", self.documents),
            format!("{} incidents", self.incidents),
            format!("{} statements", self.statements),
            format!("{} events", self.events),
            format!("{} agreements", self.agreements),
            format!("{} verdicts", self.verdicts),
        ];
        if self.skipped > 0 {
            parts.push(format!("{} documents already stored", self.skipped));
        }
        if self.jobs > 0 {
            parts.push(format!("{} jobs done", self.jobs));
        }
        if let Some((a, b)) = self.log {
            parts.push(format!("log {a} -> {b}"));
        }
        parts.join(", ")
    }
}

/// An open write transaction. Dropped without [`Batch::commit`], it rolls back.
pub(crate) struct SqlBatch<'s, C: Conn> {
    store: &'s SqlStore<C>,
    lease: RefCell<Lease<'s, C>>,
    author: String,
    open: bool,
    log_locked: std::cell::Cell<bool>,
    now: Millis,
    tally: RefCell<Tally>,
    /// The first statement that failed in this batch: commit then rolls back and says so.
    poisoned: RefCell<Option<String>>,
}

impl<C: Conn> Runner for SqlBatch<'_, C> {
    fn run<R>(&self, f: impl FnOnce(&mut Db<'_>) -> Result<R>) -> Result<R> {
        let name = &self.store.name;
        if !self.open {
            return Err(StoreError::Database {
                store: name.clone(),
                what: "use batch".to_string(),
                message: "the batch is already committed or rolled back".to_string(),
            });
        }
        let mut lease = self.lease.borrow_mut();
        let c = lease.conn().map_err(|e| e.ctx(name, "use batch"))?;
        let mut db = Db {
            c,
            name,
            failed: None,
        };
        let r = f(&mut db);
        if let Some(what) = db.failed {
            let mut p = self.poisoned.borrow_mut();
            if p.is_none() {
                *p = Some(what);
            }
        }
        r
    }
}

impl<C: Conn> SqlBatch<'_, C> {
    /// Takes the log's sequencer lock for the rest of the transaction (PostgreSQL advisory lock;
    /// SQLite's BEGIN IMMEDIATE already holds the only write lock).
    pub(crate) fn lock_log(&self) -> Result<()> {
        if self.log_locked.get() {
            return Ok(());
        }
        if self.store.dialect.kind == Kind::Postgres {
            let key = self.store.dialect.log_lock_key;
            self.run(|db| {
                db.query(
                    || "take the log's sequencer lock".to_string(),
                    "SELECT pg_advisory_xact_lock(?)",
                    &[Value::Int(key)],
                )
                .map(drop)
            })?;
        }
        self.log_locked.set(true);
        Ok(())
    }

    pub(crate) fn log_append_raw(&self, a: &LogAppend<'_>) -> Result<std::result::Result<(), u64>> {
        self.lock_log()?;
        let now = self.now;
        let r = self.run(|db| log_append(db, a, now))?;
        if r.is_ok() {
            let mut t = self.tally.borrow_mut();
            let start = t.log.map_or(a.old_size, |l| l.0);
            t.log = Some((start, a.new_size));
        }
        Ok(r)
    }

    /// Commits: writes the batch's audit line, then COMMIT. A batch in which a statement
    /// failed is rolled back instead (PostgreSQL has already discarded it; SQLite must agree).
    fn finish(&mut self) -> Result<()> {
        let poisoned = self.poisoned.borrow().clone();
        if let Some(what) = poisoned {
            self.abort()?;
            return Err(StoreError::Database {
                store: self.store.name.clone(),
                what: "commit batch".to_string(),
                message: format!(
                    "an earlier statement of the batch failed ({what}); the whole batch was rolled back"
                ),
            });
        }
        let tally = std::mem::take(&mut *self.tally.borrow_mut());
        if tally.any() && !self.author.is_empty() {
            let (author, now) = (self.author.clone(), self.now);
            self.run(|db| add_audit(db, &author, "batch", "", &tally.describe(), now))?;
        }
        let name = self.store.name.clone();
        let r = self.run(|db| db.script(|| "commit batch".to_string(), "COMMIT"));
        self.open = false;
        if r.is_err() {
            // The transaction's fate is unknown to this connection: never reuse it.
            self.lease.borrow_mut().discard();
        }
        r.map_err(|e| match e {
            StoreError::Database { what, message, .. } => StoreError::Database {
                store: name,
                what,
                message,
            },
            e => e,
        })
    }

    fn abort(&mut self) -> Result<()> {
        if !self.open {
            return Ok(());
        }
        let r = self.run(|db| db.script(|| "roll back batch".to_string(), "ROLLBACK"));
        self.open = false;
        if r.is_err() {
            self.lease.borrow_mut().discard();
        }
        r
    }
}

impl<C: Conn> Drop for SqlBatch<'_, C> {
    fn drop(&mut self) {
        let _ = self.abort();
    }
}

impl<T: Runner> Reads for T {
    fn has_document(&self, id: &str) -> Result<bool> {
        self.run(|db| Ok(!stored_documents(db, &[id.to_string()])?.is_empty()))
    }
    fn stored_documents(&self, ids: &[String]) -> Result<Vec<String>> {
        self.run(|db| stored_documents(db, ids))
    }
    fn document(&self, id: &str) -> Result<Option<DocumentRow>> {
        self.run(|db| document(db, id))
    }
    fn documents(&self, q: &Query) -> Result<Page<DocumentRow>> {
        self.run(|db| documents(db, q))
    }
    fn records_of(&self, document: &str) -> Result<(Vec<IncidentRow>, Vec<StatementRow>)> {
        self.run(|db| records_of(db, document))
    }
    fn incidents(&self, q: &Query) -> Result<Page<IncidentRow>> {
        self.run(|db| incidents(db, q))
    }
    fn statements(&self, q: &Query) -> Result<Page<StatementRow>> {
        self.run(|db| statements(db, q))
    }
    fn event(&self, id: &str) -> Result<Option<EventRow>> {
        self.run(|db| event(db, id))
    }
    fn events(&self, q: &Query) -> Result<Page<EventRow>> {
        self.run(|db| events(db, q))
    }
    fn event_rows(&self, q: &Query) -> Result<Page<EventRow>> {
        self.run(|db| event_rows(db, q))
    }
    fn events_of_incident(&self, key: &RecordKey) -> Result<Vec<String>> {
        self.run(|db| events_of_incident(db, key))
    }
    fn agreement(&self, id: &str) -> Result<Option<AgreementRow>> {
        self.run(|db| agreement(db, id))
    }
    fn agreements(&self) -> Result<Vec<AgreementRow>> {
        self.run(agreements)
    }
    fn verdicts(&self, q: &Query) -> Result<Page<VerdictRow>> {
        self.run(|db| verdicts(db, q))
    }
    fn verdicts_of_events(&self, events: &[String]) -> Result<Vec<VerdictRow>> {
        self.run(|db| verdicts_of_events(db, events))
    }
    fn reports(&self, q: &Query) -> Result<Page<ReportRow>> {
        self.run(|db| reports(db, q))
    }
    fn reviews(&self, event: &str) -> Result<Vec<ReviewRow>> {
        self.run(|db| reviews(db, event))
    }
    fn audit(&self, q: &Query) -> Result<Page<AuditRow>> {
        self.run(|db| audit(db, q))
    }
    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRow>> {
        self.run(|db| token_by_hash(db, hash))
    }
    fn tokens(&self) -> Result<Vec<TokenRow>> {
        self.run(tokens)
    }
    fn jobs(&self, state: JobState, limit: u32) -> Result<Vec<JobRow>> {
        self.run(|db| jobs(db, state, limit))
    }
    fn job_counts(&self) -> Result<JobCounts> {
        self.run(job_counts)
    }
    fn counts(&self) -> Result<Counts> {
        self.run(counts)
    }
    fn log_size(&self) -> Result<u64> {
        self.run(log_size)
    }
    fn checkpoint(&self) -> Result<Option<Vec<u8>>> {
        self.run(latest_checkpoint)
    }
    fn checkpoint_at(&self, size: u64) -> Result<Option<Vec<u8>>> {
        self.run(|db| checkpoint_at(db, size))
    }
    fn tile(&self, level: u8, index: u64) -> Result<Option<Vec<u8>>> {
        Ok(self.run(|db| read_tile(db, level, index))?.map(|t| t.1))
    }
    fn entry_bundle(&self, index: u64) -> Result<Option<Vec<u8>>> {
        Ok(self.run(|db| read_bundle(db, index))?.map(|b| b.1))
    }
    fn tile_with_width(&self, level: u8, index: u64) -> Result<Option<(u16, Vec<u8>)>> {
        self.run(|db| read_tile(db, level, index))
    }
    fn entry_bundle_with_width(&self, index: u64) -> Result<Option<(u16, Vec<u8>)>> {
        self.run(|db| read_bundle(db, index))
    }
    fn log_key(&self) -> Result<Option<LogKeyRow>> {
        self.run(log_key)
    }
}

impl<C: Conn> Batch for SqlBatch<'_, C> {
    fn put_document(&mut self, meta: &DocumentMeta, text: &str) -> Result<bool> {
        let now = self.now;
        let doc = crate::NewDocument {
            meta,
            text,
            incidents: &[],
            statements: &[],
        };
        let fresh = self
            .run(|db| put_documents(db, std::slice::from_ref(&doc), now))?
            .first()
            .copied()
            .unwrap_or(false);
        let mut t = self.tally.borrow_mut();
        if fresh {
            t.documents += 1;
        } else {
            t.skipped += 1;
        }
        Ok(fresh)
    }

    fn put_documents(&mut self, docs: &[crate::NewDocument<'_>]) -> Result<Vec<bool>> {
        let now = self.now;
        let fresh = self.run(|db| put_documents(db, docs, now))?;
        let mut t = self.tally.borrow_mut();
        for (d, &f) in docs.iter().zip(&fresh) {
            if f {
                t.documents += 1;
                t.incidents += d.incidents.len() as u64;
                t.statements += d.statements.len() as u64;
            } else {
                t.skipped += 1;
            }
        }
        Ok(fresh)
    }

    fn put_records(
        &mut self,
        document: &str,
        incidents: &[Incident],
        statements: &[Statement],
    ) -> Result<()> {
        self.run(|db| put_records(db, document, incidents, statements))?;
        let mut t = self.tally.borrow_mut();
        t.incidents += incidents.len() as u64;
        t.statements += statements.len() as u64;
        Ok(())
    }

    fn put_event(&mut self, event: &EventRow) -> Result<()> {
        self.put_events(std::slice::from_ref(event))
    }

    fn put_events(&mut self, events: &[EventRow]) -> Result<()> {
        let now = self.now;
        self.run(|db| put_events(db, events, now))?;
        self.tally.borrow_mut().events += events.len() as u64;
        Ok(())
    }

    fn delete_event(&mut self, id: &str) -> Result<bool> {
        self.run(|db| delete_event(db, id))
    }

    fn put_agreement(&mut self, agreement: &AgreementRow) -> Result<()> {
        let now = self.now;
        self.run(|db| put_agreement(db, agreement, now))?;
        self.tally.borrow_mut().agreements += 1;
        Ok(())
    }

    fn put_verdict(&mut self, verdict: &VerdictRow) -> Result<()> {
        self.put_verdicts(std::slice::from_ref(verdict))
    }

    fn put_verdicts(&mut self, verdicts: &[VerdictRow]) -> Result<()> {
        let now = self.now;
        self.run(|db| put_verdicts(db, verdicts, now))?;
        self.tally.borrow_mut().verdicts += verdicts.len() as u64;
        Ok(())
    }

    fn finish_job(&mut self, id: i64) -> Result<()> {
        self.run(|db| finish_job(db, id))?;
        self.tally.borrow_mut().jobs += 1;
        Ok(())
    }

    fn add_review(&mut self, review: &NewReview) -> Result<ReviewRow> {
        check_text("review note", &review.note)?;
        let (author, now) = (self.author.clone(), self.now);
        let r = self.run(|db| insert_review(db, &author, review, now))?;
        self.run(|db| {
            add_audit(
                db,
                &author,
                "add_review",
                &review.event,
                review.action.as_str(),
                now,
            )
        })?;
        Ok(r)
    }

    fn audit(&mut self, action: &str, subject: &str, detail: &str) -> Result<()> {
        let (author, now) = (self.author.clone(), self.now);
        self.run(|db| add_audit(db, &author, action, subject, detail, now))
    }

    fn lock_log(&mut self) -> Result<u64> {
        SqlBatch::lock_log(self)?;
        self.run(log_size)
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        self.finish()
    }

    fn rollback(mut self: Box<Self>) -> Result<()> {
        self.abort()
    }
}

impl<C: Conn> Store for SqlStore<C> {
    fn describe(&self) -> String {
        self.name.clone()
    }

    fn log_key_path(&self) -> &std::path::Path {
        &self.key_path
    }

    fn begin(&self, author: &str) -> Result<Box<dyn Batch + '_>> {
        check_id("batch author", author)?;
        Ok(Box::new(self.begin_batch(author)?))
    }

    fn put_token(&self, author: &str, hash: &str, role: Role, label: &str) -> Result<TokenRow> {
        check_id("token hash", hash)?;
        check_text("token label", label)?;
        self.write_audited(author, |db, now| {
            let mut rows = db.query(
                || format!("store {role} token {label:?}"),
                &format!("INSERT INTO tokens (hash, role, label, created_at) VALUES (?, ?, ?, ?) RETURNING {TOKEN_COLS}"),
                &[hash.into(), role.as_str().into(), label.into(), Value::Int(now)],
            )?;
            let t = rows
                .first_mut()
                .map(token_row)
                .transpose()?
                .ok_or_else(|| StoreError::corrupt("store token", "no row returned"))?;
            Ok((t.clone(), ("put_token", t.id.to_string(), format!("{role} {label:?}"))))
        })
    }

    fn revoke_token(&self, author: &str, id: i64) -> Result<bool> {
        self.write_audited(author, |db, now| {
            let n = db.exec(
                || format!("revoke token {id}"),
                "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                &[Value::Int(now), Value::Int(id)],
            )?;
            Ok((n > 0, ("revoke_token", id.to_string(), String::new())))
        })
    }

    fn add_report(&self, author: &str, body: &str, document: Option<&str>) -> Result<ReportRow> {
        check_text("report body", body)?;
        self.write_audited(author, |db, now| {
            let mut rows = db.query(
                || "store report (is its document stored?)".to_string(),
                "INSERT INTO reports (author, body, document, at) VALUES (?, ?, ?, ?) RETURNING id, author, body, document, at",
                &[author.into(), body.into(), document.map(str::to_string).into(), Value::Int(now)],
            )?;
            let r = rows
                .first_mut()
                .map(report_row)
                .transpose()?
                .ok_or_else(|| StoreError::corrupt("store report", "no row returned"))?;
            let subject = r.id.to_string();
            Ok((r, ("add_report", subject, document.unwrap_or("").to_string())))
        })
    }

    fn add_review(&self, author: &str, review: &NewReview) -> Result<ReviewRow> {
        check_text("review note", &review.note)?;
        self.write_audited(author, |db, now| {
            if event(db, &review.event)?.is_none() {
                return Err(StoreError::bad_input(
                    "review.event",
                    format!("no event {:?}", review.event),
                ));
            }
            let mut rows = db.query(
                || format!("store review of event {}", review.event),
                "INSERT INTO reviews (event, action, author, note, at) VALUES (?, ?, ?, ?, ?) RETURNING id, event, action, author, note, at",
                &[
                    review.event.as_str().into(),
                    review.action.as_str().into(),
                    author.into(),
                    review.note.as_str().into(),
                    Value::Int(now),
                ],
            )?;
            let r = rows
                .first_mut()
                .map(review_row)
                .transpose()?
                .ok_or_else(|| StoreError::corrupt("store review", "no row returned"))?;
            Ok((r, ("add_review", review.event.clone(), review.action.as_str().to_string())))
        })
    }

    fn enqueue_jobs(&self, author: &str, jobs: &[NewJob]) -> Result<usize> {
        for (i, j) in jobs.iter().enumerate() {
            check_id(&format!("job {i}: key"), &j.key)?;
            check_text(&format!("job {i}: payload"), &j.payload)?;
        }
        self.write_audited(author, |db, now| {
            let mut added = 0;
            for j in jobs {
                added += db.exec(
                    || format!("queue job {:?}", j.key),
                    "INSERT INTO jobs (key, payload, state, attempts, created_at) VALUES (?, ?, 'pending', 0, ?) ON CONFLICT (key) DO NOTHING",
                    &[j.key.as_str().into(), j.payload.as_str().into(), Value::Int(now)],
                )? as usize;
            }
            Ok((added, ("enqueue_jobs", format!("{added} jobs"), format!("{} offered", jobs.len()))))
        })
    }

    fn claim_jobs(&self, worker: &str, n: u32, lease: std::time::Duration) -> Result<Vec<JobRow>> {
        check_id("worker", worker)?;
        let lock = match self.dialect.kind {
            Kind::Sqlite => "",
            Kind::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "UPDATE jobs SET state = 'running', worker = ?, lease_until = ?, attempts = attempts + 1 WHERE id IN (SELECT id FROM jobs WHERE state = 'pending' OR (state = 'running' AND lease_until < ?) ORDER BY id LIMIT ?{lock}) RETURNING {JOB_COLS}"
        );
        let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        let mut b = self.begin_batch("")?;
        let now = b.now;
        let mut rows = b.run(|db| {
            db.query(
                || format!("claim {n} jobs for worker {worker}"),
                &sql,
                &[
                    worker.into(),
                    Value::Int(now.saturating_add(lease_ms)),
                    Value::Int(now),
                    Value::Int(n.into()),
                ],
            )
        })?;
        b.finish()?;
        let mut jobs = rows.iter_mut().map(job_row).collect::<Result<Vec<_>>>()?;
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }

    fn fail_job(&self, author: &str, id: i64, error: &str) -> Result<()> {
        check_text("job error", error)?;
        self.write_audited(author, |db, _| {
            let n = db.exec(
                || format!("fail job {id}"),
                "UPDATE jobs SET state = 'failed', error = ? WHERE id = ?",
                &[error.into(), Value::Int(id)],
            )?;
            if n == 0 {
                return Err(StoreError::bad_input("job", format!("no job with id {id}")));
            }
            Ok(((), ("fail_job", id.to_string(), error.to_string())))
        })
    }

    fn retry_failed_jobs(&self, author: &str) -> Result<u64> {
        self.write_audited(author, |db, _| {
            let n = db.exec(
                || "requeue failed jobs".to_string(),
                "UPDATE jobs SET state = 'pending', worker = NULL, lease_until = NULL WHERE state = 'failed'",
                &[],
            )?;
            Ok((n, ("retry_failed_jobs", format!("{n} jobs"), String::new())))
        })
    }

    fn set_log_key(&self, author: &str, key: &LogKeyRow) -> Result<()> {
        self.write_audited(author, |db, _| {
            set_log_key(db, key)?;
            Ok(((), ("set_log_key", key.path.clone(), key.verifier.clone())))
        })
    }

    fn log_signer(&self, origin: &str) -> Result<truce_note::Signer> {
        let recorded = self.run(log_key)?;
        let (signer, record) =
            crate::key::load_or_create(&self.key_path, origin, recorded.as_ref())?;
        if let Some(row) = record {
            // Two processes may race to record their key: the first one wins, the other is
            // refused below rather than signing with a second key.
            let won = self.write_audited("log", |db, _| {
                let n = db.exec(
                    || "record log key".to_string(),
                    "INSERT INTO log_key (id, path, verifier) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING",
                    &[row.path.as_str().into(), row.verifier.as_str().into()],
                )?;
                Ok((n == 1, ("record_log_key", row.path.clone(), row.verifier.clone())))
            })?;
            if !won {
                let now = self.run(log_key)?;
                crate::key::load_or_create(&self.key_path, origin, now.as_ref())?;
            }
        }
        Ok(signer)
    }

    fn optimize(&self) -> Result<()> {
        let sql = match self.dialect.kind {
            Kind::Sqlite => "PRAGMA optimize".to_string(),
            Kind::Postgres => format!("ANALYZE {}", TABLES.join(", ")),
        };
        self.run(|db| db.script(|| "refresh planner statistics".to_string(), &sql))
    }

    fn schema_version(&self) -> Result<u32> {
        self.run(|db| {
            let v = db.count(
                "read schema version",
                "SELECT COALESCE(MAX(version), 0) FROM schema_version",
                &[],
            )?;
            u32::try_from(v).map_err(|_| StoreError::corrupt("schema_version", "out of range"))
        })
    }
}

/// Every table of the schema.
const TABLES: &[&str] = &[
    "documents",
    "incidents",
    "statements",
    "events",
    "event_members",
    "agreements",
    "verdicts",
    "reports",
    "reviews",
    "tokens",
    "audit",
    "jobs",
    "log_tiles",
    "log_bundles",
    "log_checkpoints",
    "log_key",
];

type AuditLine = (&'static str, String, String);

impl<C: Conn> SqlStore<C> {
    /// Runs `f` in its own transaction and records its audit line (action, subject, detail)
    /// with `author` in the same transaction.
    fn write_audited<R>(
        &self,
        author: &str,
        f: impl FnOnce(&mut Db<'_>, Millis) -> Result<(R, AuditLine)>,
    ) -> Result<R> {
        check_id("author", author)?;
        let mut b = self.begin_batch("")?;
        let now = b.now;
        let r = b.run(|db| {
            let (r, (action, subject, detail)) = f(db, now)?;
            add_audit(db, author, action, &subject, &detail, now)?;
            Ok(r)
        })?;
        b.finish()?;
        Ok(r)
    }
}
