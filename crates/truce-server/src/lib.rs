//! truce's HTTP server: the versioned JSON API (`/api/v1`), the log as C2SP tlog-tiles
//! (`/checkpoint`, `/tile/...`), and the dashboard, all from one binary.
//!
//! Invariant: this crate knows no SQL and no coding rules; it speaks HTTP over the store's and
//! the log's traits, and every store call runs on the blocking pool, never on a runtime thread.

pub mod assets;
pub mod auth;
pub mod error;
pub mod log;
pub mod params;
pub mod tiles;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};

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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            body_limit: 64 * 1024,
            rate_per_s: 20.0,
            burst: 60,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub log: Arc<dyn LogRead>,
    pub assets: Arc<Assets>,
    pub limiter: Arc<RateLimiter>,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(log: Arc<dyn LogRead>, config: Config) -> Self {
        AppState {
            log,
            assets: Arc::new(Assets::embedded()),
            limiter: Arc::new(RateLimiter::new(config.rate_per_s, config.burst)),
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
    Routes::new()
        .add("/checkpoint", &[Method::GET], get(log::checkpoint))
        .add("/tile/{*path}", &[Method::GET], get(log::tile))
}

/// The whole application: routes, static files, the 404 fallback.
pub fn app(state: AppState) -> Router {
    let r = routes();
    r.router.fallback(static_or_404).with_state(state)
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
