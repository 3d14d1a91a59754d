//! The whole HTTP application: arbitrary method, path, query, headers and body sent through the
//! real router (every middleware, handler and the ingest pipeline behind the writes) over a real
//! SQLite store holding the shipped agreements, with public, monitor, analyst, admin and
//! made-up tokens. No request, however malformed, may panic or answer 5xx.
//!
//! Input layout: byte 0 picks the method, byte 1 the token, byte 2 a content type; the rest is
//! split at the first two 0x00 bytes into the request target (path and query), one extra
//! header (`name: value`) and the body.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::http::{Method, Request, header};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

struct World {
    rt: tokio::runtime::Runtime,
    app: axum::Router,
    tokens: Vec<String>,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("truce-fuzz-http-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store: Arc<dyn truce_store::Store> = Arc::from(
            truce_store::open(&truce_store::Location::Sqlite(dir.join("data")))
                .expect("open store"),
        );
        // The shipped agreements, logged as the API logs an analyst's agreement.
        let dir_a =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/agreements");
        let mut files: Vec<_> = std::fs::read_dir(&dir_a)
            .expect("agreements folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for f in files {
            let toml = std::fs::read_to_string(&f).expect("agreement file");
            truce_server::pipeline::AgreementSink::put(
                &truce_server::pipeline::IngestAgreements,
                &*store,
                "fuzz",
                &toml,
            )
            .expect("agreement");
        }
        let mut tokens = vec![String::new(), "not-a-token".to_string()];
        for role in [
            truce_store::Role::Monitor,
            truce_store::Role::Analyst,
            truce_store::Role::Admin,
        ] {
            let t = truce_server::auth::generate_token().expect("token");
            store
                .put_token("fuzz", &truce_server::auth::hash_token(&t), role, "fuzz")
                .expect("put token");
            tokens.push(t);
        }
        let config = truce_server::Config {
            rate_per_s: 1e9,
            burst: u32::MAX,
            anon_rate_per_s: 1e9,
            anon_burst: u32::MAX,
            ..truce_server::Config::default()
        };
        let app = truce_server::app(truce_server::AppState::new(store, config));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        World { rt, app, tokens }
    })
}

const METHODS: &[&str] = &["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"];
const TYPES: &[&str] = &[
    "",
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
];
/// Paths that reach handlers, so short inputs go deep.
const PREFIXES: &[&str] = &[
    "",
    "/api/v1/events",
    "/api/v1/events/",
    "/api/v1/reports",
    "/api/v1/reviews",
    "/api/v1/agreements",
    "/api/v1/tokens",
    "/api/v1/verdicts",
    "/api/v1/compliance",
    "/api/v1/export/events.csv",
    "/tile/",
    "/api/v1/documents/",
];

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let w = world();
    let method = METHODS[usize::from(data[0]) % METHODS.len()];
    let token = &w.tokens[usize::from(data[1]) % w.tokens.len()];
    let ctype = TYPES[usize::from(data[2]) % TYPES.len()];
    let prefix = PREFIXES[usize::from(data[3]) % PREFIXES.len()];
    let mut parts = data[4..].splitn(3, |&b| b == 0);
    let target = parts.next().unwrap_or_default();
    let extra = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default().to_vec();

    let uri = format!("{prefix}{}", String::from_utf8_lossy(target));
    let Ok(uri) = uri.parse::<axum::http::Uri>() else {
        return;
    };
    if uri.path_and_query().is_none() {
        return;
    }
    let mut b = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET))
        .uri(uri);
    if !token.is_empty() {
        b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if !ctype.is_empty() {
        b = b.header(header::CONTENT_TYPE, ctype);
    }
    if let Some(colon) = extra.iter().position(|&c| c == b':') {
        let (name, value) = (&extra[..colon], &extra[colon + 1..]);
        if let (Ok(n), Ok(v)) = (
            axum::http::HeaderName::from_bytes(name),
            axum::http::HeaderValue::from_bytes(value),
        ) {
            b = b.header(n, v);
        }
    }
    let Ok(req) = b.body(axum::body::Body::from(body)) else {
        return;
    };
    let resp =
        w.rt.block_on(w.app.clone().oneshot(req))
            .unwrap_or_else(|e| match e {});
    let status = resp.status();
    if status.is_server_error() {
        let bytes =
            w.rt.block_on(axum::body::to_bytes(resp.into_body(), 1 << 20))
                .unwrap_or_default();
        panic!("{method} -> {status}: {}", String::from_utf8_lossy(&bytes));
    }
});
