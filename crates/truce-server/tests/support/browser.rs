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
    let state = truce_server::AppState::new(store, truce_server::Config::default());
    run_node(state, "demo.mjs").await;
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
