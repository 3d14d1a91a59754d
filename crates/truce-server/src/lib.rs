//! truce's HTTP server: the versioned JSON API (`/api/v1`), the log as C2SP tlog-tiles
//! (`/checkpoint`, `/tile/...`), and the dashboard, all from one binary.
//!
//! Invariant: this crate knows no SQL and no coding rules; it speaks HTTP over the store's and
//! the log's traits, and every store call runs on the blocking pool, never on a runtime thread.

pub mod assets;
pub mod auth;
pub mod cache;
pub mod error;
pub mod export;
pub mod handlers;
pub mod log;
pub mod openapi;
pub mod params;
pub mod pipeline;
pub mod reports;
pub mod tiles;
pub mod views;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use truce_store::Store;

pub use crate::assets::Assets;
pub use crate::auth::{RateLimiter, Role};
pub use crate::error::ApiError;
pub use crate::log::LogRead;

/// Tunables of a server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest request body accepted (413 beyond).
    pub body_limit: usize,
    /// Per-token sustained rate (requests per second) and burst.
    pub rate_per_s: f64,
    pub burst: u32,
    /// Per-client-address sustained rate and burst of requests without a token (IPv6 clients
    /// by /64). Generous by default: a dashboard load is a few dozen requests.
    pub anon_rate_per_s: f64,
    pub anon_burst: u32,
    /// How long anonymous `GET /api/v1` answers may be served from memory (0 = never).
    pub cache_ttl: std::time::Duration,
    /// Store calls running at once (the others wait their turn). Keep it at most the store's
    /// pool size (`truce_store::Options::pool_size`, 16 by default): past it each extra call
    /// opens and closes a connection of its own (cold caches, statements prepared again).
    pub store_concurrency: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            body_limit: 64 * 1024,
            rate_per_s: 20.0,
            burst: 60,
            anon_rate_per_s: 100.0,
            anon_burst: 300,
            cache_ttl: std::time::Duration::from_millis(1000),
            store_concurrency: 16,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub log: Arc<dyn LogRead>,
    pub reports: reports::Sink,
    pub agreements: Arc<dyn pipeline::AgreementSink>,
    /// The ingest ledger the pipeline's writes share (built once, caught up on each write).
    pub live: Arc<pipeline::Live>,
    pub assets: Arc<Assets>,
    pub responses: Arc<cache::Responses>,
    pub records: Arc<cache::Immutable<views::DocRecords>>,
    /// Events' JSON as last rendered (checked against the row on every read).
    pub rendered: Arc<cache::Immutable<views::EventJson>>,
    pub limiter: Arc<RateLimiter>,
    /// Buckets of requests without a token, by client address ([`auth::client_key`]).
    pub anon_limiter: Arc<RateLimiter>,
    /// Turns for store calls ([`Config::store_concurrency`]).
    pub store_slots: Arc<tokio::sync::Semaphore>,
    pub config: Arc<Config>,
}

impl AppState {
    /// A server over a store; the log is read from the same store; reports and agreements go
    /// through the ingest pipeline.
    pub fn new(store: Arc<dyn Store>, config: Config) -> Self {
        let live = Arc::new(pipeline::Live::default());
        AppState {
            log: Arc::new(log::StoreLog(Arc::clone(&store))),
            store,
            reports: Arc::new(pipeline::IngestReports {
                live: Arc::clone(&live),
            }),
            agreements: Arc::new(pipeline::IngestAgreements {
                live: Arc::clone(&live),
            }),
            live,
            assets: Arc::new(Assets::embedded()),
            responses: Arc::new(cache::Responses::new(config.cache_ttl)),
            records: Arc::new(cache::Immutable::default()),
            rendered: Arc::new(cache::Immutable::default()),
            limiter: Arc::new(RateLimiter::new(config.rate_per_s, config.burst)),
            anon_limiter: Arc::new(RateLimiter::new(config.anon_rate_per_s, config.anon_burst)),
            store_slots: Arc::new(tokio::sync::Semaphore::new(config.store_concurrency.max(1))),
            config: Arc::new(config),
        }
    }
}

/// Builds the router and records every (method, path) it registers, so a test can compare them
/// with the OpenAPI document.
pub struct Routes {
    router: Router<AppState>,
    pub registered: Vec<(Method, &'static str)>,
}

impl Routes {
    fn new() -> Self {
        Routes {
            router: Router::new(),
            registered: Vec::new(),
        }
    }

    fn add(
        mut self,
        path: &'static str,
        methods: &[Method],
        handler: MethodRouter<AppState>,
    ) -> Self {
        for m in methods {
            self.registered.push((m.clone(), path));
        }
        self.router = self.router.route(path, handler);
        self
    }
}

/// Every route of the server.
pub fn routes() -> Routes {
    use handlers as h;
    const GET: &[Method] = &[Method::GET];
    const POST: &[Method] = &[Method::POST];
    Routes::new()
        .add("/api/v1/openapi.json", GET, get(h::openapi))
        .add("/api/v1/documents", GET, get(h::documents))
        .add("/api/v1/documents/{id}", GET, get(h::document))
        .add("/api/v1/incidents", GET, get(h::incidents))
        .add("/api/v1/statements", GET, get(h::statements))
        .add("/api/v1/events", GET, get(h::events))
        .add("/api/v1/events/{id}", GET, get(h::event))
        .add(
            "/api/v1/agreements",
            &[Method::GET, Method::POST],
            get(h::agreements).post(reports::put_agreement),
        )
        .add("/api/v1/agreements/{id}", GET, get(h::agreement))
        .add("/api/v1/verdicts", GET, get(h::verdicts))
        .add("/api/v1/compliance", GET, get(h::compliance))
        .add("/api/v1/export/events.csv", GET, get(h::export_csv))
        .add("/api/v1/export/events.geojson", GET, get(h::export_geojson))
        .add("/api/v1/export/events.jsonl", GET, get(h::export_jsonl))
        .add("/api/v1/reports", POST, post(reports::submit))
        .add("/api/v1/reviews", POST, post(reports::review))
        .add("/api/v1/tokens", POST, post(h::create_token))
        .add("/api/v1/audit", GET, get(h::audit))
        .add("/checkpoint", GET, get(log::checkpoint))
        .add("/tile/{*path}", GET, get(log::tile))
}

/// A request body, at most [`Config::body_limit`] bytes (413 beyond).
pub struct Body(pub Bytes);

impl FromRequest<AppState> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, st: &AppState) -> Result<Self, ApiError> {
        match Bytes::from_request(req, st).await {
            Ok(b) => Ok(Body(b)),
            Err(rej) if rej.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::TooLarge {
                limit: st.config.body_limit,
            }),
            Err(rej) => Err(ApiError::BadBody(rej.body_text())),
        }
    }
}

/// The whole application: routes, static files, the 404 fallback.
pub fn app(state: AppState) -> Router {
    let limit = state.config.body_limit;
    let r = routes();
    r.router
        .fallback(static_or_404)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            micro_cache,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            anonymous_limit,
        ))
        .with_state(state)
}

/// Runs a blocking store (or store-backed log) call on the blocking pool once a store turn is
/// free ([`Config::store_concurrency`]).
pub async fn on_store<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let turn = Arc::clone(&st.store_slots)
        .acquire_owned()
        .await
        .map_err(ApiError::store)?;
    tokio::task::spawn_blocking(move || {
        let out = f();
        drop(turn);
        out
    })
    .await
    .map_err(ApiError::store)
}

/// The client's address, when the server was started with connect info ([`serve`] does).
pub fn client_addr(ext: &axum::http::Extensions) -> Option<std::net::IpAddr> {
    ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

/// Takes one request from the anonymous bucket of the client's address (none is known: no
/// limit); 429 with `Retry-After` when it is empty.
pub fn charge_anonymous(st: &AppState, ext: &axum::http::Extensions) -> Result<(), ApiError> {
    let Some(ip) = client_addr(ext) else {
        return Ok(());
    };
    st.anon_limiter
        .check(&auth::client_key(ip))
        .map_err(|wait| ApiError::RateLimited {
            per: "client address",
            retry_after_s: wait.as_secs() + 1,
        })
}

/// Limits requests without a token per client address, before anything else (cached answers
/// and static files count too). Requests with a token are limited per token
/// ([`handlers::Caller`]).
async fn anonymous_limit(
    State(st): State<AppState>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    if !req.headers().contains_key(header::AUTHORIZATION)
        && let Err(e) = charge_anonymous(&st, req.extensions())
    {
        return e.into_response();
    }
    next.run(req).await
}

/// Serves the application on a bound listener until the process is stopped (Ctrl-C ends it
/// gracefully). Clients' addresses are known to the handlers (the anonymous rate limit).
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    // Build the ingest ledger now (in the background: reads are served meanwhile, writes wait
    // for it). A failure here is retried by the first write.
    let (live, store) = (Arc::clone(&state.live), Arc::clone(&state.store));
    let turn = live.turn().await;
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        if let Err(e) = live.warm(&*store) {
            eprintln!(
                "truce serve: building the ingest ledger failed ({e}); the first write retries"
            );
        }
    });
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Serves anonymous `GET /api/v1` reads from the response cache, fills it with successful
/// answers, and empties it after every successful write.
async fn micro_cache(
    State(st): State<AppState>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let cacheable = st.responses.enabled()
        && req.method() == Method::GET
        && !req.headers().contains_key(header::AUTHORIZATION)
        && req.uri().path().starts_with("/api/v1/")
        && req.uri().path() != "/api/v1/audit"
        && !req.uri().path().starts_with("/api/v1/export/");
    let write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !cacheable {
        let resp = next.run(req).await;
        if write && resp.status().is_success() {
            st.responses.clear();
        }
        return resp;
    }
    let key = req.uri().to_string();
    if let Some(c) = st.responses.get(&key) {
        let mut resp = (c.status, c.body).into_response();
        *resp.headers_mut() = c.headers;
        return resp;
    }
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    match axum::body::to_bytes(body, 8 * 1024 * 1024).await {
        Ok(bytes) => {
            st.responses
                .put(&key, parts.status, parts.headers.clone(), bytes.clone());
            Response::from_parts(parts, axum::body::Body::from(bytes))
        }
        Err(_) => ApiError::store("answer too large to buffer").into_response(),
    }
}

/// Serves an embedded file, or answers 404 in the API's error format.
async fn static_or_404(State(st): State<AppState>, req: Request) -> Response {
    let path = req.uri().path().trim_start_matches('/');
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return ApiError::NotFound(format!("{} {}", req.method(), req.uri().path()))
            .into_response();
    }
    match st.assets.get(path) {
        Some(a) => static_file(a, req.headers()),
        None => ApiError::NotFound(format!("path {}", req.uri().path())).into_response(),
    }
}

fn static_file(a: &assets::Asset, headers: &HeaderMap) -> Response {
    let etag_matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == a.etag));
    let mut resp = if etag_matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, a.bytes).into_response()
    };
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(a.content_type),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    if let Ok(v) = HeaderValue::from_str(&a.etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}
