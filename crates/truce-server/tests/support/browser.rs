//! The dashboard in real Chromium (Debian's /usr/bin/chromium driven by playwright-core through
//! node): the page shows the events on the map, clicking one shows its evidence, filtering by
//! agreement works. The server runs on 127.0.0.1:0 over the fixture store.

use std::path::PathBuf;

use crate::common::fixture;

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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = f.state.clone();
    let server = tokio::spawn(async move { truce_server::serve(listener, state).await });
    let profile = tempfile::tempdir().unwrap();
    let shots = std::env::var("TRUCE_SCREENSHOTS").unwrap_or_default();
    let out = tokio::process::Command::new("node")
        .arg(dir.join("dashboard.mjs"))
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
    assert!(
        out.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("ok: all checks passed"),
        "{stdout}\n{stderr}"
    );
}
