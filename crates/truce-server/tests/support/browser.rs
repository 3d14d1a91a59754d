//! The dashboard in real Chromium (Debian's /usr/bin/chromium driven by playwright-core through
//! node): the page shows the events on the map, clicking one shows its evidence, filtering by
//! agreement works. The server runs on 127.0.0.1:0 over the fixture store, and over a store filled
//! as `truce demo` fills it.

use std::path::PathBuf;

use crate::common::fixture;

/// Runs `script` in node against a server over `state`; asserts it passes.
async fn run_node(state: truce_server::AppState, script: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { truce_server::serve(listener, state).await });
    let profile = tempfile::tempdir().unwrap();
    let shots = std::env::var("TRUCE_SCREENSHOTS").unwrap_or_default();
    let out = tokio::process::Command::new("node")
        .arg(dir.join(script))
        .env("TRUCE_URL", format!("http://{addr}/"))
        .env("TRUCE_PROFILE", profile.path())
        .env("TRUCE_SCREENSHOTS", shots)
        .current_dir(&dir)
        .output()
        .await
        .expect("running node");
    server.abort();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("ok: all checks passed"),
        "{stdout}\n{stderr}"
    );
}

/// The store `truce demo` makes: the shipped agreements, the project's example reports and the
/// seed texts (read in place), ingested by the real pipeline (coder, events, verdicts, log).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_dashboard_in_chromium() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let seeds = root.join("../shared/corpus/seeds");
    assert!(
        seeds.exists(),
        "the seed texts are missing: {}",
        seeds.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let loc = truce_store::Location::Sqlite(dir.path().join("data"));
    let store: std::sync::Arc<dyn truce_store::Store> = tokio::task::spawn_blocking(move || {
        let store = truce_store::open(&loc).unwrap();
        let paths = vec![root.join("corpus/dev"), seeds];
        let agreements = root.join("examples/agreements");
        let req = truce_ingest::store_sink::Request {
            paths: &paths,
            agreements: Some(&agreements),
            options: truce_ingest::Options::default(),
            author: "demo",
            queue: false,
        };
        let summary =
            truce_ingest::store_sink::ingest(&*store, &req, &mut truce_ingest::Quiet).unwrap();
        assert!(summary.events > 0 && summary.verdicts > 0, "{summary:?}");
        std::sync::Arc::from(store)
    })
    .await
    .unwrap();
    let state = truce_server::AppState::new(
        std::sync::Arc::clone(&store),
        truce_server::Config::default(),
    );
    pipeline_writes(&store, &state).await;
    run_node(state, "demo.mjs").await;
}

/// A monitor's report and an analyst's agreement go through the real pipeline: the report
/// becomes an event judged against every agreement, the agreement is logged and judged again,
/// and the log still verifies (tlog client over the store) with its verdicts replayed.
async fn pipeline_writes(
    store: &std::sync::Arc<dyn truce_store::Store>,
    state: &truce_server::AppState,
) {
    use axum::http::{Request, StatusCode, header};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = truce_server::app(state.clone());
    let s2 = std::sync::Arc::clone(store);
    let (monitor, analyst) = tokio::task::spawn_blocking(move || {
        let mk = |role| {
            let t = truce_server::auth::generate_token().unwrap();
            s2.put_token(
                "test",
                &truce_server::auth::hash_token(&t),
                role,
                "demo test",
            )
            .unwrap();
            t
        };
        (
            mk(truce_store::Role::Monitor),
            mk(truce_store::Role::Analyst),
        )
    })
    .await
    .unwrap();
    let post = |uri: &'static str, token: String, body: String| {
        let app = app.clone();
        async move {
            let req = Request::post(uri)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(axum::body::Body::from(body))
                .unwrap();
            let resp = app.oneshot(req).await.unwrap();
            let status = resp.status();
            let bytes = resp.into_body().collect().await.unwrap().to_bytes();
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&bytes).unwrap(),
            )
        }
    };
    let report = crate::common::report().to_string();
    let (s, v) = post("/api/v1/reports", monitor, report).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["events"].as_array().unwrap().len(), 1, "{v}");
    assert!(
        v["verdicts"].as_u64().unwrap() >= 5,
        "judged against every agreement: {v}"
    );
    let event = v["events"][0].as_str().unwrap().to_string();
    let s3 = std::sync::Arc::clone(store);
    let verdicts = tokio::task::spawn_blocking(move || {
        let q = truce_store::Query {
            event: Some(event),
            ..truce_store::Query::limit(100)
        };
        s3.verdicts(&q).unwrap().items
    })
    .await
    .unwrap();
    let moratorium = verdicts
        .iter()
        .find(|v| v.agreement == "energy_moratorium_2025")
        .unwrap();
    assert_eq!(
        moratorium.verdict, "violation_alleged",
        "an energy strike by RU on 28 March"
    );

    // The analyst re-sends the shipped moratorium (unchanged: 200), then a bad one (400 naming
    // the TOML), then a changed title (201: logged, events judged again).
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let toml =
        std::fs::read_to_string(root.join("examples/agreements/energy_moratorium_2025.toml"))
            .unwrap();
    let (s, v) = post("/api/v1/agreements", analyst.clone(), toml.clone()).await;
    assert_eq!(
        (s, v["changed"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{v}"
    );
    let (s, v) = post("/api/v1/agreements", analyst.clone(), "id = 3\n[[[".into()).await;
    assert_eq!(
        (s, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("toml")),
        "{v}"
    );
    let retitled = toml.replacen("title = \"", "title = \"Revised: ", 1);
    assert_ne!(retitled, toml);
    let (s, v) = post("/api/v1/agreements", analyst, retitled).await;
    assert_eq!(
        (s, v["id"].as_str()),
        (StatusCode::CREATED, Some("energy_moratorium_2025")),
        "{v}"
    );
    let s4 = std::sync::Arc::clone(store);
    tokio::task::spawn_blocking(move || {
        let a = s4.agreement("energy_moratorium_2025").unwrap().unwrap();
        assert!(a.title.starts_with("Revised: "), "{}", a.title);
        let audit = s4.audit(&truce_store::Query::limit(10_000)).unwrap().items;
        assert!(
            audit
                .iter()
                .any(|l| l.author.contains("demo test") && l.action == "batch"),
            "writes audited with their author"
        );
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_in_chromium() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists(),
        "Chromium is missing: apt-get install -y chromium (.ci/run does)"
    );
    assert!(
        dir.join("node_modules/playwright-core").exists(),
        "playwright-core is missing: run `npm ci` in {}",
        dir.display()
    );
    let f = fixture(truce_server::Config::default()).await;
    run_node(f.state.clone(), "dashboard.mjs").await;
}
