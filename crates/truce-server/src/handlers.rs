//! The `/api/v1` handlers. Every store call runs on the blocking pool.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use truce_model::{Party, Side};
use truce_store::{Cursor, EventRow, Query, Reads, Store, StoreError};
use truce_wire::api::{ComplianceRow, EventView, Page};

use crate::AppState;
use crate::auth::{self, Role};
use crate::error::ApiError;
use crate::params::{self, Filters};
use crate::views;

/// Store failures: bad input stays a 4xx naming the field.
pub fn from_store(e: StoreError) -> ApiError {
    match e {
        StoreError::BadInput { field, message } => ApiError::BadField { field, message },
        StoreError::BadQuery { message, .. } => ApiError::field("query", message),
        StoreError::BadCursor { message, .. } => ApiError::field("cursor", message),
        StoreError::Constraint { message, .. } => ApiError::Conflict(message),
        StoreError::Locked { .. } => ApiError::Busy(e.to_string()),
        other => ApiError::store(other),
    }
}

/// Runs `f` on the store on the blocking pool (one of the store's turns, see
/// [`crate::Config::store_concurrency`]).
pub async fn blocking<T, F>(st: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&dyn Store) -> Result<T, ApiError> + Send + 'static,
{
    let store = Arc::clone(&st.store);
    crate::on_store(st, move || f(&*store)).await?
}

/// Who is calling: the role of the bearer token (public without one) and the author name the
/// audit trail records.
#[derive(Debug, Clone)]
pub struct Caller {
    pub role: Role,
    pub author: String,
    /// The token's id (`None` without a token).
    pub token: Option<i64>,
}

impl Caller {
    pub fn require(&self, needed: Role) -> Result<(), ApiError> {
        if self.role.allows(needed) {
            Ok(())
        } else if self.role == Role::Public {
            Err(ApiError::Unauthorized(
                "this needs a token: send `Authorization: Bearer <token>`",
            ))
        } else {
            Err(ApiError::Forbidden {
                needed,
                has: self.role,
            })
        }
    }
}

fn role_of(r: truce_store::Role) -> Role {
    match r {
        truce_store::Role::Public => Role::Public,
        truce_store::Role::Monitor => Role::Monitor,
        truce_store::Role::Analyst => Role::Analyst,
        truce_store::Role::Admin => Role::Admin,
    }
}

pub fn store_role(r: Role) -> truce_store::Role {
    match r {
        Role::Public => truce_store::Role::Public,
        Role::Monitor => truce_store::Role::Monitor,
        Role::Analyst => truce_store::Role::Analyst,
        Role::Admin => truce_store::Role::Admin,
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(Caller {
                role: Role::Public,
                author: "public".into(),
                token: None,
            });
        };
        // A request whose header is no known token counts against its address's anonymous
        // bucket too: made-up tokens do not escape the anonymous limit.
        let Some(token) = value.to_str().ok().and_then(auth::bearer) else {
            crate::charge_anonymous(st, &parts.extensions)?;
            return Err(ApiError::Unauthorized(
                "malformed Authorization header: expected `Bearer <token>`",
            ));
        };
        let hash = auth::hash_token(token);
        st.limiter
            .check(&hash)
            .map_err(|wait| ApiError::RateLimited {
                per: "token",
                retry_after_s: wait.as_secs() + 1,
            })?;
        let row = blocking(st, move |s| s.token_by_hash(&hash).map_err(from_store)).await?;
        match row {
            Some(t) if t.revoked_at.is_none() => Ok(Caller {
                role: role_of(t.role),
                token: Some(t.id),
                author: if t.label.is_empty() {
                    format!("token#{}", t.id)
                } else {
                    format!("token#{} ({})", t.id, t.label)
                },
            }),
            _ => {
                crate::charge_anonymous(st, &parts.extensions)?;
                Err(ApiError::Unauthorized("unknown or revoked token"))
            }
        }
    }
}

fn json_response<T: Serialize>(status: StatusCode, value: &T) -> Response {
    let mut buf = Vec::with_capacity(4096);
    match serde_json::to_writer(&mut buf, value).map(|()| buf) {
        Ok(bytes) => {
            let mut r = (status, bytes).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        Err(e) => ApiError::store(e).into_response(),
    }
}

fn to_query(f: &Filters) -> Query {
    Query {
        from: f.from,
        to: f.to,
        place: f.place.clone(),
        admin1: f.admin1.clone(),
        perpetrator: f.perpetrator,
        target: f.target,
        party: f.party,
        verdict: f.verdict.clone(),
        agreement: f.agreement.clone(),
        event: f.event.clone(),
        document: f.document.clone(),
        after: f.cursor.clone().map(Cursor::from_token),
        limit: f.limit,
        with_text: false,
    }
}

fn page_of<R, T>(p: truce_store::Page<R>, f: impl Fn(&R) -> T) -> Page<T> {
    Page {
        items: p.items.iter().map(f).collect(),
        next_cursor: p.next.map(|c| c.as_str().to_string()),
    }
}

/// Query parameters the events listing accepts (the OpenAPI document lists the same).
pub(crate) const EVENT_FILTERS: &[&str] = &[
    "from",
    "to",
    "place",
    "admin1",
    "perpetrator",
    "target",
    "verdict",
    "agreement",
    "limit",
    "cursor",
];
/// Query parameters the exports accept (the OpenAPI document lists the same).
pub(crate) const EXPORT_FILTERS: &[&str] = &[
    "from",
    "to",
    "place",
    "admin1",
    "perpetrator",
    "target",
    "verdict",
    "agreement",
];

pub async fn openapi() -> Response {
    json_response(StatusCode::OK, &crate::openapi::document())
}

pub async fn documents(
    State(st): State<AppState>,
    _c: Caller,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let f = params::filters(q.as_deref(), &["from", "to", "limit", "cursor"])?;
    let page = blocking(&st, move |s| {
        s.documents(&to_query(&f))
            .map(|p| page_of(p, views::document))
            .map_err(from_store)
    })
    .await?;
    Ok(json_response(StatusCode::OK, &page))
}

fn check_id(field: &str, id: &str) -> Result<(), ApiError> {
    if id.is_empty() || id.len() > 200 {
        return Err(ApiError::field(field, "must be 1 to 200 bytes"));
    }
    Ok(())
}

pub async fn document(
    State(st): State<AppState>,
    _c: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    one(&st, "document", id, |s, id| s.document(id), views::document).await
}

/// Answers one stored item by id: 400 for a malformed id, 404 naming `kind` when it is absent.
async fn one<R, V>(
    st: &AppState,
    kind: &'static str,
    id: String,
    get: fn(&dyn Store, &str) -> Result<Option<R>, truce_store::StoreError>,
    view: fn(&R) -> V,
) -> Result<Response, ApiError>
where
    R: 'static,
    V: serde::Serialize + Send + 'static,
{
    check_id("id", &id)?;
    let v = blocking(st, move |s| {
        get(s, &id)
            .map_err(from_store)?
            .map(|r| view(&r))
            .ok_or_else(|| ApiError::NotFound(format!("{kind} {id:?}")))
    })
    .await?;
    Ok(json_response(StatusCode::OK, &v))
}

pub async fn incidents(
    State(st): State<AppState>,
    _c: Caller,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let f = params::filters(
        q.as_deref(),
        &[
            "from",
            "to",
            "place",
            "admin1",
            "perpetrator",
            "target",
            "document",
            "limit",
            "cursor",
        ],
    )?;
    let page = blocking(&st, move |s| {
        s.incidents(&to_query(&f))
            .map(|p| page_of(p, views::incident_row))
            .map_err(from_store)
    })
    .await?;
    Ok(json_response(StatusCode::OK, &page))
}

pub async fn statements(
    State(st): State<AppState>,
    _c: Caller,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let f = params::filters(
        q.as_deref(),
        &["from", "to", "party", "document", "limit", "cursor"],
    )?;
    let page = blocking(&st, move |s| {
        s.statements(&to_query(&f))
            .map(|p| page_of(p, views::statement_row))
            .map_err(from_store)
    })
    .await?;
    Ok(json_response(StatusCode::OK, &page))
}

/// Narrows a filter on an agreement to the days of its windows (the events during it); an
/// agreement never in force keeps every date. `None` when no day is left.
fn during_agreement(s: &dyn Store, f: &Filters) -> Result<Option<Filters>, ApiError> {
    let Some(id) = &f.agreement else {
        return Ok(Some(f.clone()));
    };
    let row = s
        .agreement(id)
        .map_err(from_store)?
        .ok_or_else(|| ApiError::field("agreement", format!("unknown agreement {id:?}")))?;
    let a = views::agreement(&row);
    let day = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|t| t.date_naive())
    };
    let mut f = f.clone();
    if let (Some(start), Some(end)) = (
        a.windows.first().and_then(|w| day(&w.start)),
        a.windows.last().and_then(|w| day(&w.end)),
    ) {
        f.from = Some(f.from.map_or(start, |d| d.max(start)));
        f.to = Some(f.to.map_or(end, |d| d.min(end)));
        if f.from > f.to {
            return Ok(None);
        }
    }
    Ok(Some(f))
}

fn event_page(
    s: &dyn Store,
    cache: &crate::cache::Immutable<views::DocRecords>,
    f: &Filters,
) -> Result<Page<EventView>, ApiError> {
    let Some(f) = during_agreement(s, f)? else {
        return Ok(Page {
            items: Vec::new(),
            next_cursor: None,
        });
    };
    let f = &f;
    let p = s.events(&to_query(f)).map_err(from_store)?;
    let mut loader = views::Loader::new(s as &dyn Reads, cache);
    let items = loader.events(&p.items).map_err(from_store)?;
    Ok(Page {
        items,
        next_cursor: p.next.map(|c| c.as_str().to_string()),
    })
}

/// A JSON answer already serialized.
fn bytes_response(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut r = (status, bytes).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// A page of events as JSON: the same bytes as `Page<EventView>` serialized, built from each
/// event's rendered JSON (kept while its row does not change) and its verdicts.
fn event_page_json(st: &AppState, s: &dyn Store, f: &Filters) -> Result<Vec<u8>, ApiError> {
    let Some(f) = during_agreement(s, f)? else {
        return views::page_json(&[], None).map_err(ApiError::store);
    };
    // Rows without members: an event's JSON is rendered once per row version (cached).
    let p = s.event_rows(&to_query(&f)).map_err(from_store)?;
    let items = views::Loader::new(s as &dyn Reads, &st.records)
        .with_rendered(&st.rendered)
        .events_json(&p.items)?;
    views::page_json(&items, p.next.as_ref().map(|c| c.as_str())).map_err(ApiError::store)
}

pub async fn events(
    State(st): State<AppState>,
    _c: Caller,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let f = params::filters(q.as_deref(), EVENT_FILTERS)?;
    let st2 = st.clone();
    let page = blocking(&st, move |s| event_page_json(&st2, s, &f)).await?;
    Ok(bytes_response(StatusCode::OK, page))
}

pub async fn event(
    State(st): State<AppState>,
    _c: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    check_id("id", &id)?;
    let st2 = st.clone();
    let e = blocking(&st, move |s| {
        let row = s
            .event(&id)
            .map_err(from_store)?
            .ok_or_else(|| ApiError::NotFound(format!("event {id:?}")))?;
        views::Loader::new(s as &dyn Reads, &st2.records)
            .with_rendered(&st2.rendered)
            .events_json(std::slice::from_ref(&row))?
            .pop()
            .ok_or_else(|| ApiError::store("no event rendered"))
    })
    .await?;
    Ok(bytes_response(StatusCode::OK, e))
}

pub async fn agreements(State(st): State<AppState>, _c: Caller) -> Result<Response, ApiError> {
    let page = blocking(&st, |s| {
        let all = s.agreements().map_err(from_store)?;
        Ok(Page {
            items: all.iter().map(views::agreement).collect(),
            next_cursor: None,
        })
    })
    .await?;
    Ok(json_response(StatusCode::OK, &page))
}

pub async fn agreement(
    State(st): State<AppState>,
    _c: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    one(
        &st,
        "agreement",
        id,
        |s, id| s.agreement(id),
        views::agreement,
    )
    .await
}

pub async fn verdicts(
    State(st): State<AppState>,
    _c: Caller,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let f = params::filters(
        q.as_deref(),
        &["event", "agreement", "verdict", "limit", "cursor"],
    )?;
    let page = blocking(&st, move |s| {
        s.verdicts(&to_query(&f))
            .map(|p| page_of(p, views::verdict))
            .map_err(from_store)
    })
    .await?;
    Ok(json_response(StatusCode::OK, &page))
}

/// Pages through a listing until its end.
fn all_pages<T>(
    mut q: Query,
    mut list: impl FnMut(&Query) -> Result<truce_store::Page<T>, StoreError>,
) -> Result<Vec<T>, ApiError> {
    q.limit = truce_store::MAX_LIMIT;
    let mut out = Vec::new();
    loop {
        let p = list(&q).map_err(from_store)?;
        out.extend(p.items);
        match p.next {
            Some(c) => q.after = Some(c),
            None => return Ok(out),
        }
    }
}

/// Compliance per agreement and party: each party's events (by perpetrator) and their verdicts.
pub fn compliance_rows(
    s: &dyn Store,
    agreement: Option<&str>,
    party: Option<Party>,
) -> Result<Vec<ComplianceRow>, ApiError> {
    let agreements: Vec<String> = s
        .agreements()
        .map_err(from_store)?
        .into_iter()
        .map(|a| a.id)
        .filter(|id| agreement.is_none_or(|want| want == id))
        .collect();
    if let Some(want) = agreement
        && agreements.is_empty()
    {
        return Err(ApiError::NotFound(format!("agreement {want:?}")));
    }
    let events: Vec<EventRow> = all_pages(Query::default(), |q| s.events(q))?;
    let perpetrator: std::collections::HashMap<&str, Side> = events
        .iter()
        .map(|e| (e.id.as_str(), e.perpetrator))
        .collect();
    let parties: Vec<&str> = match party {
        Some(p) => vec![p.as_str()],
        None => vec!["RU", "UA", "unknown"],
    };
    let mut rows = Vec::new();
    for a in &agreements {
        let q = Query {
            agreement: Some(a.clone()),
            ..Query::default()
        };
        let verdicts = all_pages(q, |q| s.verdicts(q))?;
        for p in &parties {
            let mut row = ComplianceRow {
                agreement: a.clone(),
                party: (*p).to_string(),
                violations_alleged: 0,
                one_party_claim: 0,
                corroborated: 0,
                contested: 0,
                analyst_reviewed: 0,
                indeterminate: 0,
                not_applicable: 0,
            };
            for v in &verdicts {
                let side = perpetrator.get(v.event.as_str()).copied();
                if side.map(Side::as_str) != Some(*p) {
                    continue;
                }
                match v.verdict.as_str() {
                    "violation_alleged" => {
                        row.violations_alleged += 1;
                        match v.strength.as_deref() {
                            Some("one_party_claim") => row.one_party_claim += 1,
                            Some("corroborated") => row.corroborated += 1,
                            Some("contested") => row.contested += 1,
                            Some("analyst_reviewed") => row.analyst_reviewed += 1,
                            _ => {}
                        }
                    }
                    "indeterminate" => row.indeterminate += 1,
                    _ => row.not_applicable += 1,
                }
            }
            rows.push(row);
        }
    }
    Ok(rows)
}

pub async fn compliance(
    State(st): State<AppState>,
    _c: Caller,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let f = params::filters(q.as_deref(), &["agreement", "party"])?;
    let rows = blocking(&st, move |s| {
        compliance_rows(s, f.agreement.as_deref(), f.party)
    })
    .await?;
    Ok(json_response(StatusCode::OK, &rows))
}

/// Largest export in events (past it, page through `/api/v1/events`).
pub const EXPORT_MAX: usize = 100_000;

async fn export(st: AppState, q: Option<String>, kind: &'static str) -> Result<Response, ApiError> {
    let f = params::filters(q.as_deref(), EXPORT_FILTERS)?;
    let cache = Arc::clone(&st.records);
    let bytes = blocking(&st, move |s| {
        let mut f = f;
        f.limit = params::MAX_LIMIT;
        let mut events = Vec::new();
        loop {
            let page = event_page(s, &cache, &f)?;
            events.extend(page.items);
            if events.len() > EXPORT_MAX {
                return Err(ApiError::field(
                    "query",
                    format!("more than {EXPORT_MAX} events: narrow the filters"),
                ));
            }
            match page.next_cursor {
                Some(c) => f.cursor = Some(c),
                None => break,
            }
        }
        Ok(match kind {
            "csv" => crate::export::csv(&events),
            "geojson" => crate::export::geojson(&events),
            _ => crate::export::jsonl(&events),
        })
    })
    .await?;
    let ctype = match kind {
        "csv" => "text/csv; charset=utf-8",
        "geojson" => "application/geo+json",
        _ => "application/jsonl",
    };
    let mut r = (StatusCode::OK, bytes).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"events.{kind}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

pub async fn export_csv(
    State(st): State<AppState>,
    _c: Caller,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    export(st, q, "csv").await
}

pub async fn export_geojson(
    State(st): State<AppState>,
    _c: Caller,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    export(st, q, "geojson").await
}

pub async fn export_jsonl(
    State(st): State<AppState>,
    _c: Caller,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    export(st, q, "jsonl").await
}

pub async fn audit(
    State(st): State<AppState>,
    c: Caller,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    c.require(Role::Admin)?;
    let f = params::filters(q.as_deref(), &["limit", "cursor"])?;
    let page = blocking(&st, move |s| {
        s.audit(&to_query(&f))
            .map(|p| page_of(p, views::audit))
            .map_err(from_store)
    })
    .await?;
    Ok(json_response(StatusCode::OK, &page))
}

/// Parses a JSON body into `T`, naming the field at fault.
pub fn parse_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::BadBody(
            "empty body: expected a JSON object".into(),
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path.is_empty() || path == "." {
            ApiError::BadBody(inner.to_string())
        } else {
            ApiError::field(path, inner.to_string())
        }
    })
}

pub async fn create_token(
    State(st): State<AppState>,
    c: Caller,
    body: crate::Body,
) -> Result<Response, ApiError> {
    c.require(Role::Admin)?;
    let req: truce_wire::api::TokenRequest = parse_body(&body.0)?;
    let role: Role = req
        .role
        .parse()
        .map_err(|e: auth::UnknownRole| ApiError::field("role", e.to_string()))?;
    if let Some(l) = &req.label
        && l.len() > 200
    {
        return Err(ApiError::field("label", "longer than 200 bytes"));
    }
    let token = auth::generate_token().map_err(ApiError::store)?;
    let hash = auth::hash_token(&token);
    let label = req.label.clone().unwrap_or_default();
    let author = c.author.clone();
    blocking(&st, move |s| {
        s.put_token(&author, &hash, store_role(role), &label)
            .map_err(from_store)
    })
    .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &truce_wire::api::TokenCreated {
            token,
            role: role.as_str().into(),
            label: req.label,
        },
    ))
}

pub fn value_response(status: StatusCode, v: &Value) -> Response {
    json_response(status, v)
}
