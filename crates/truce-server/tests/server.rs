//! truce-server's integration tests: the real router over a real SQLite store, filled through
//! the store's API, and (in `browser`) the dashboard in real Chromium.

#[path = "support/browser.rs"]
mod browser;
#[path = "support/common.rs"]
mod common;

use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use common::{Fixture, fixture};

/// One request through the router: (status, headers, body).
async fn call(
    app: &axum::Router,
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<Vec<u8>>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if body.is_some() {
        b = b.header(header::CONTENT_TYPE, "application/json");
    }
    let req = b
        .body(axum::body::Body::from(body.unwrap_or_default()))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, bytes)
}

async fn get_json(app: &axum::Router, uri: &str) -> Value {
    let (s, h, b) = call(app, Method::GET, uri, None, None).await;
    assert_eq!(s, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&b));
    assert_eq!(h[header::CONTENT_TYPE], "application/json", "{uri}");
    serde_json::from_slice(&b).unwrap()
}

/// Asserts an error answer: its status, and the field it names (if any).
async fn check_error(
    f: &Fixture,
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
    status: StatusCode,
    field: Option<&str>,
) {
    let (s, h, b) = call(
        &f.app,
        method.clone(),
        uri,
        token,
        body.map(|v| v.to_string().into_bytes()),
    )
    .await;
    let text = String::from_utf8_lossy(&b);
    assert_eq!(s, status, "{method} {uri}: {text}");
    assert_eq!(h[header::CONTENT_TYPE], "application/json", "{uri}");
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert!(
        v["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{text}"
    );
    assert_eq!(v["field"].as_str(), field, "{method} {uri}: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_documents_every_route_and_every_documented_route_answers() {
    let f = fixture(truce_server::Config::default()).await;
    let registered = truce_server::routes().registered;
    let doc = truce_server::openapi::document();
    let paths = doc["paths"].as_object().unwrap();
    let mut documented = Vec::new();
    for (p, ops) in paths {
        for m in ops.as_object().unwrap().keys() {
            documented.push((m.to_uppercase(), p.clone()));
        }
    }
    let mut routed: Vec<(String, String)> = registered
        .iter()
        .map(|(m, p)| (m.to_string(), p.replace("{*path}", "{path}")))
        .collect();
    routed.sort();
    documented.sort();
    assert_eq!(routed, documented, "router and OpenAPI document differ");

    // Every documented route answers (with a real id where it takes one; a log of 3 entries).
    let app = f.with_log(std::sync::Arc::new(common::memory_log(3).0));
    for (m, p) in &documented {
        let uri = p
            .replace("/documents/{id}", &format!("/documents/{}", f.doc_ids[0]))
            .replace("/events/{id}", "/events/ev-sumy")
            .replace("/agreements/{id}", "/agreements/energy-moratorium-2025")
            .replace("{path}", "0/000.p/1");
        let method: Method = m.parse().unwrap();
        let body = (method == Method::POST).then(|| b"{}".to_vec());
        let (s, _, b) = call(&app, method, &uri, Some(&f.admin), body).await;
        assert!(
            s != StatusCode::NOT_FOUND
                && s != StatusCode::METHOD_NOT_ALLOWED
                && !s.is_server_error(),
            "{m} {uri} -> {s}: {}",
            String::from_utf8_lossy(&b)
        );
    }
    let served = get_json(&f.app, "/api/v1/openapi.json").await;
    assert_eq!(served, doc);
    assert_eq!(served["openapi"], "3.1.0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_filter_and_paginate() {
    let f = fixture(truce_server::Config::default()).await;
    let all = get_json(&f.app, "/api/v1/events").await;
    let ids: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ev-tuapse", "ev-kherson", "ev-sumy"]);
    let sumy = &all["items"][2];
    assert_eq!(sumy["sources"].as_array().unwrap().len(), 2);
    assert!(
        sumy["sources"][0]["evidence"]["text"]
            .as_str()
            .unwrap()
            .contains("Sumy")
    );
    assert_eq!(sumy["killed"]["low"], 34);
    assert_eq!(sumy["killed"]["high"], 35);
    assert_eq!(sumy["verdicts"][0]["verdict"], "not_applicable");

    let check = |q: &'static str, want: &'static [&'static str]| {
        let app = f.app.clone();
        async move {
            let v = get_json(&app, &format!("/api/v1/events?{q}")).await;
            let got: Vec<String> = v["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(got, want, "{q}");
        }
    };
    check("from=2025-03-20", &["ev-kherson", "ev-sumy"]).await;
    check("to=2025-03-20", &["ev-tuapse"]).await;
    check("admin1=Sumy%20Oblast", &["ev-sumy"]).await;
    check("perpetrator=UA", &["ev-tuapse"]).await;
    check("target=energy", &["ev-tuapse", "ev-kherson"]).await;
    check("verdict=violation_alleged", &["ev-kherson"]).await;
    // An agreement keeps the events during its window (Tuapse, 14 March, predates it).
    check(
        "agreement=energy-moratorium-2025",
        &["ev-kherson", "ev-sumy"],
    )
    .await;
    check(
        "agreement=energy-moratorium-2025&verdict=not_applicable",
        &["ev-sumy"],
    )
    .await;
    check("agreement=energy-moratorium-2025&to=2025-03-17", &[]).await;

    // Cursor pagination walks every event once.
    let mut seen = Vec::new();
    let mut uri = "/api/v1/events?limit=1".to_string();
    loop {
        let v = get_json(&f.app, &uri).await;
        for e in v["items"].as_array().unwrap() {
            seen.push(e["id"].as_str().unwrap().to_string());
        }
        match v["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/events?limit=1&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ["ev-tuapse", "ev-kherson", "ev-sumy"]);

    let docs = get_json(&f.app, "/api/v1/documents").await;
    assert_eq!(docs["items"].as_array().unwrap().len(), 3);
    let inc = get_json(&f.app, "/api/v1/incidents?target=civilian").await;
    assert_eq!(inc["items"].as_array().unwrap().len(), 2);
    let st = get_json(&f.app, "/api/v1/statements?party=RU").await;
    assert_eq!(st["items"][0]["act"], "accept_conditionally");
    let ag = get_json(&f.app, "/api/v1/agreements").await;
    assert_eq!(ag["items"][0]["start"], "2025-03-18T00:00:00+03:00");
    let comp = get_json(
        &f.app,
        "/api/v1/compliance?agreement=energy-moratorium-2025",
    )
    .await;
    let ru = comp
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["party"] == "RU")
        .unwrap();
    assert_eq!(
        (
            ru["violations_alleged"].as_u64(),
            ru["one_party_claim"].as_u64(),
            ru["not_applicable"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    let v = get_json(&f.app, "/api/v1/verdicts?event=ev-kherson").await;
    assert_eq!(v["items"][0]["strength"], "one_party_claim");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_speak_csv_geojson_and_jsonl() {
    let f = fixture(truce_server::Config::default()).await;
    let (s, h, b) = call(
        &f.app,
        Method::GET,
        "/api/v1/export/events.csv?target=energy",
        None,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let text = String::from_utf8(b).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("event_id_cnty,event_date,time_precision,actor1"));
    assert_eq!(lines.len(), 3);
    assert!(lines[2].starts_with("ev-kherson,2025-03-25,1,Military Forces of Russia"));
    let (_, h, b) = call(
        &f.app,
        Method::GET,
        "/api/v1/export/events.geojson",
        None,
        None,
    )
    .await;
    assert_eq!(h[header::CONTENT_TYPE], "application/geo+json");
    let g: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    assert_eq!(
        g["features"][2]["geometry"]["coordinates"],
        json!([34.7981, 50.9077])
    );
    let (_, _, b) = call(
        &f.app,
        Method::GET,
        "/api/v1/export/events.jsonl?perpetrator=RU",
        None,
        None,
    )
    .await;
    let rows: Vec<Value> = String::from_utf8(b)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0]["truce_violation_alleged"],
        json!(["energy-moratorium-2025"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_error_table() {
    let f = fixture(truce_server::Config {
        body_limit: 4096,
        rate_per_s: 0.01,
        burst: 30,
        ..truce_server::Config::default()
    })
    .await;
    let g = Method::GET;
    let p = Method::POST;
    let bad = StatusCode::BAD_REQUEST;
    check_error(
        &f,
        g.clone(),
        "/api/v1/events?from=2025-02-30",
        None,
        None,
        bad,
        Some("from"),
    )
    .await;
    check_error(
        &f,
        g.clone(),
        "/api/v1/events?verdict=guilty",
        None,
        None,
        bad,
        Some("verdict"),
    )
    .await;
    check_error(
        &f,
        g.clone(),
        "/api/v1/events?limit=100000",
        None,
        None,
        bad,
        Some("limit"),
    )
    .await;
    check_error(
        &f,
        g.clone(),
        "/api/v1/events?cursor=zz",
        None,
        None,
        bad,
        Some("cursor"),
    )
    .await;
    check_error(
        &f,
        g.clone(),
        "/api/v1/events?colour=red",
        None,
        None,
        bad,
        Some("colour"),
    )
    .await;
    check_error(
        &f,
        g.clone(),
        "/api/v1/events?agreement=nope",
        None,
        None,
        bad,
        Some("agreement"),
    )
    .await;
    check_error(
        &f,
        g.clone(),
        "/api/v1/statements?party=XX",
        None,
        None,
        bad,
        Some("party"),
    )
    .await;
    check_error(
        &f,
        g.clone(),
        "/api/v1/events/nope",
        None,
        None,
        StatusCode::NOT_FOUND,
        None,
    )
    .await;
    check_error(
        &f,
        g.clone(),
        "/api/v1/nothing-here",
        None,
        None,
        StatusCode::NOT_FOUND,
        None,
    )
    .await;
    check_error(
        &f,
        g.clone(),
        "/tile/0/5",
        None,
        None,
        StatusCode::NOT_FOUND,
        None,
    )
    .await;
    let report = common::report();
    check_error(
        &f,
        p.clone(),
        "/api/v1/reports",
        None,
        Some(report.clone()),
        StatusCode::UNAUTHORIZED,
        None,
    )
    .await;
    check_error(
        &f,
        p.clone(),
        "/api/v1/reports",
        Some("truce_wrong"),
        Some(report.clone()),
        StatusCode::UNAUTHORIZED,
        None,
    )
    .await;
    check_error(
        &f,
        p.clone(),
        "/api/v1/reviews",
        Some(&f.monitor),
        Some(json!({})),
        StatusCode::FORBIDDEN,
        None,
    )
    .await;
    check_error(
        &f,
        g.clone(),
        "/api/v1/audit",
        Some(&f.analyst),
        None,
        StatusCode::FORBIDDEN,
        None,
    )
    .await;
    check_error(
        &f,
        p.clone(),
        "/api/v1/tokens",
        Some(&f.monitor),
        Some(json!({"role": "admin"})),
        StatusCode::FORBIDDEN,
        None,
    )
    .await;
    // Field by field validation of reports.
    for (patch, field) in [
        (json!({"time": "yesterday"}), "time"),
        (json!({"time": "2031-01-01"}), "time"),
        (json!({"lat": 95.0}), "lat"),
        (json!({"targets": ["energy", "moon"]}), "targets[1]"),
        (json!({"weapons": ["laser"]}), "weapons[0]"),
        (json!({"perpetrator": "US"}), "perpetrator"),
        (json!({"killed": {"n": -1}}), "killed.n"),
        (json!({"attachments": ["abc"]}), "attachments[0]"),
        (json!({"narrative": "  "}), "narrative"),
        (json!({"colour": "red"}), "colour"),
        (json!({"targets": "energy"}), "targets"),
    ] {
        let mut r = report.clone();
        for (k, v) in patch.as_object().unwrap() {
            r[k] = v.clone();
        }
        check_error(
            &f,
            p.clone(),
            "/api/v1/reports",
            Some(&f.monitor),
            Some(r),
            bad,
            Some(field),
        )
        .await;
    }
    let (s, _, _) = call(
        &f.app,
        p.clone(),
        "/api/v1/reports",
        Some(&f.monitor),
        Some(b"{not json".to_vec()),
    )
    .await;
    assert_eq!(s, bad);
    // 413 past the body limit.
    let mut big = report.clone();
    big["narrative"] = json!("x".repeat(10_000));
    check_error(
        &f,
        p.clone(),
        "/api/v1/reports",
        Some(&f.monitor),
        Some(big),
        StatusCode::PAYLOAD_TOO_LARGE,
        None,
    )
    .await;
    // 409: verifying a verdict that is not a violation.
    check_error(&f, p.clone(), "/api/v1/reviews", Some(&f.analyst),
        Some(json!({"event": "ev-sumy", "agreement": "energy-moratorium-2025", "action": "verify", "note": "checked"})),
        StatusCode::CONFLICT, None).await;
    // 429 once a token's burst is spent (30 requests, refilling at 0.01/s).
    let mut limited = 0;
    for _ in 0..40 {
        let (s, h, _) = call(
            &f.app,
            g.clone(),
            "/api/v1/agreements",
            Some(&f.analyst),
            None,
        )
        .await;
        if s == StatusCode::TOO_MANY_REQUESTS {
            assert!(h.contains_key(header::RETRY_AFTER));
            limited += 1;
        }
    }
    assert!(limited >= 10, "only {limited} requests limited");
    // Tokenless reads are not limited per token.
    let (s, _, _) = call(&f.app, g, "/api/v1/agreements", None, None).await;
    assert_eq!(s, StatusCode::OK);
}

/// One request from a client address (as `serve` records it): (status, Retry-After).
async fn call_from(
    app: &axum::Router,
    from: &str,
    uri: &str,
    auth: Option<&str>,
) -> (StatusCode, Option<String>) {
    let mut b = Request::builder().method(Method::GET).uri(uri);
    if let Some(a) = auth {
        b = b.header(header::AUTHORIZATION, a);
    }
    let mut req = b.body(axum::body::Body::empty()).unwrap();
    let addr: std::net::SocketAddr = from.parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    let resp = app.clone().oneshot(req).await.unwrap();
    let retry = resp
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().to_string());
    (resp.status(), retry)
}

/// Requests without a token are limited per client address (IPv6 per /64): 429 with
/// Retry-After once the address's burst is spent, cached answers and static files included;
/// other addresses and valid tokens are not affected; made-up tokens do not escape the limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_requests_are_limited_per_address() {
    let f = fixture(truce_server::Config {
        anon_rate_per_s: 0.01,
        anon_burst: 4,
        ..truce_server::Config::default()
    })
    .await;
    let a = "192.0.2.10:40000";
    // (from, uri, Authorization, expected status)
    let cases: &[(&str, &str, Option<String>, StatusCode)] = &[
        (a, "/api/v1/events?limit=2", None, StatusCode::OK),
        (a, "/api/v1/events?limit=2", None, StatusCode::OK), // from the micro-cache
        (a, "/assets/app.js", None, StatusCode::OK),
        (
            "192.0.2.10:40001",
            "/api/v1/agreements",
            None,
            StatusCode::OK,
        ), // same address
        (a, "/api/v1/agreements", None, StatusCode::TOO_MANY_REQUESTS),
        (a, "/assets/app.js", None, StatusCode::TOO_MANY_REQUESTS),
        (
            a,
            "/api/v1/agreements",
            Some(format!("Bearer {}", f.analyst)),
            StatusCode::OK,
        ),
        (
            a,
            "/api/v1/agreements",
            Some("Bearer truce_madeup".into()),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        (
            a,
            "/api/v1/agreements",
            Some("Basic xyz".into()),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        (
            "192.0.2.11:40000",
            "/api/v1/agreements",
            None,
            StatusCode::OK,
        ),
        (
            "192.0.2.11:40000",
            "/api/v1/agreements",
            Some("Bearer truce_madeup".into()),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "[2001:db8:1:2::1]:443",
            "/api/v1/agreements",
            None,
            StatusCode::OK,
        ),
        (
            "[2001:db8:1:2::2]:443",
            "/api/v1/agreements",
            None,
            StatusCode::OK,
        ),
        (
            "[2001:db8:1:2::3]:443",
            "/api/v1/agreements",
            None,
            StatusCode::OK,
        ),
        (
            "[2001:db8:1:2::4]:443",
            "/api/v1/agreements",
            None,
            StatusCode::OK,
        ),
        (
            "[2001:db8:1:2::5]:443",
            "/api/v1/agreements",
            None,
            StatusCode::TOO_MANY_REQUESTS,
        ),
        (
            "[2001:db8:1:3::5]:443",
            "/api/v1/agreements",
            None,
            StatusCode::OK,
        ),
    ];
    for (i, (from, uri, auth, want)) in cases.iter().enumerate() {
        let (s, retry) = call_from(&f.app, from, uri, auth.as_deref()).await;
        assert_eq!(s, *want, "case {i}: {from} {uri} {auth:?}");
        if s == StatusCode::TOO_MANY_REQUESTS {
            let secs: u64 = retry.expect("Retry-After").parse().unwrap();
            assert!(secs >= 1, "case {i}");
        }
    }
    // `serve` records the peer's address: over a real socket the limit applies.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(truce_server::serve(listener, f.state.clone()));
    let mut statuses = Vec::new();
    for _ in 0..6 {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
        c.write_all(b"GET /api/v1/agreements HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut out = Vec::new();
        c.read_to_end(&mut out).await.unwrap();
        let head = String::from_utf8_lossy(&out);
        statuses.push(head.split(' ').nth(1).unwrap_or("").to_string());
    }
    server.abort();
    assert_eq!(statuses, ["200", "200", "200", "200", "429", "429"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_become_events_and_reviews_change_strength() {
    let f = fixture(truce_server::Config::default()).await;
    let (s, _, b) = call(
        &f.app,
        Method::POST,
        "/api/v1/reports",
        Some(&f.monitor),
        Some(common::report().to_string().into_bytes()),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{}", String::from_utf8_lossy(&b));
    let acc: Value = serde_json::from_slice(&b).unwrap();
    let ev = acc["events"][0].as_str().unwrap().to_string();
    let e = get_json(&f.app, &format!("/api/v1/events/{ev}")).await;
    assert_eq!(e["place"], "Kharkiv");
    assert_eq!(e["sources"][0]["reported_by"], "other");
    assert!(
        e["sources"][0]["evidence"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Two drones hit")
    );
    assert_eq!(e["killed"]["best"], 1);
    let inc = get_json(
        &f.app,
        &format!(
            "/api/v1/incidents?document={}",
            acc["document"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(inc["items"][0]["targets"], json!(["energy"]));

    // An analyst's review goes through the log, which judges the event again; the fixture's
    // events are stored but not in the log (as if closed long ago), so the engine cannot judge
    // them: 409 naming why, and nothing is written (see `reviews_are_logged_judged_and_replayed`
    // for reviews that land).
    let size0 = f.store.log_size().unwrap();
    let review = json!({"event": "ev-kherson", "agreement": "energy-moratorium-2025", "action": "verify", "note": "matched with imagery"});
    let (s, _, b) = call(
        &f.app,
        Method::POST,
        "/api/v1/reviews",
        Some(&f.analyst),
        Some(review.to_string().into_bytes()),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{}", String::from_utf8_lossy(&b));
    let err = String::from_utf8_lossy(&b);
    assert!(
        err.contains("ev-kherson") && err.contains("closed"),
        "{err}"
    );
    assert_eq!(f.store.log_size().unwrap(), size0);
    assert!(f.store.reviews("ev-kherson").unwrap().is_empty());

    // Every write is in the audit trail with its author.
    let (s, _, b) = call(
        &f.app,
        Method::GET,
        "/api/v1/audit?limit=1000",
        Some(&f.admin),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let audit: Value = serde_json::from_slice(&b).unwrap();
    let lines = audit["items"].as_array().unwrap();
    let by = |action: &str| {
        lines
            .iter()
            .filter(|l| l["action"] == action)
            .map(|l| l["author"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(
        by("add_report").iter().any(|a| a.contains("field monitor")),
        "{lines:?}"
    );

    // Admins create tokens over the API; the new token works and is stored hashed.
    let (s, _, b) = call(
        &f.app,
        Method::POST,
        "/api/v1/tokens",
        Some(&f.admin),
        Some(br#"{"role":"monitor","label":"second"}"#.to_vec()),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let t: Value = serde_json::from_slice(&b).unwrap();
    let token = t["token"].as_str().unwrap();
    let stored = f.store.tokens().unwrap();
    assert!(stored.iter().all(|r| r.hash != token));
    assert!(
        stored
            .iter()
            .any(|r| r.hash == truce_server::auth::hash_token(token))
    );
    let (s, _, _) = call(
        &f.app,
        Method::POST,
        "/api/v1/reviews",
        Some(token),
        Some(review.to_string().into_bytes()),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// Event listings are built from each event's rendered JSON (kept while its row does not
/// change): the bytes are those of the views serialized, before and after a verdict changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rendered_event_json_is_the_view_serialized() {
    let f = fixture(truce_server::Config {
        cache_ttl: std::time::Duration::ZERO,
        ..truce_server::Config::default()
    })
    .await;
    let expected = |store: std::sync::Arc<dyn truce_store::Store>| {
        tokio::task::spawn_blocking(move || {
            let rows = store.events(&truce_store::Query::limit(100)).unwrap().items;
            let cache = truce_server::cache::Immutable::default();
            let items = truce_server::views::Loader::new(&*store, &cache)
                .events(&rows)
                .unwrap();
            let one = serde_json::to_vec(&items[1]).unwrap();
            let page = truce_wire::api::Page {
                items,
                next_cursor: None,
            };
            (serde_json::to_vec(&page).unwrap(), one)
        })
    };
    let (want, one) = expected(f.store.clone()).await.unwrap();
    for _ in 0..2 {
        let (s, _, b) = call(&f.app, Method::GET, "/api/v1/events?limit=100", None, None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            String::from_utf8(b).unwrap(),
            String::from_utf8(want.clone()).unwrap()
        );
    }
    let id = serde_json::from_slice::<Value>(&one).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, _, b) = call(
        &f.app,
        Method::GET,
        &format!("/api/v1/events/{id}"),
        None,
        None,
    )
    .await;
    assert_eq!(b, one);
    // A verdict changes: the listing shows it.
    let s2 = f.store.clone();
    tokio::task::spawn_blocking(move || {
        let mut b = s2.begin("test").unwrap();
        b.put_verdict(&truce_store::VerdictRow {
            event: "ev-sumy".into(),
            agreement: "energy-moratorium-2025".into(),
            verdict: "indeterminate".into(),
            strength: Some("contested".into()),
            reason: "changed".into(),
            engine: "test".into(),
            entries: vec![],
            updated_at: 0,
        })
        .unwrap();
        b.commit().unwrap();
    })
    .await
    .unwrap();
    let (want2, _) = expected(f.store.clone()).await.unwrap();
    assert_ne!(want2, want);
    let (_, _, b) = call(&f.app, Method::GET, "/api/v1/events?limit=100", None, None).await;
    assert_eq!(
        String::from_utf8(b).unwrap(),
        String::from_utf8(want2).unwrap()
    );
}

/// A store filled by the real pipeline (the shipped agreements, then monitors' reports over the
/// API), with monitor and analyst tokens: (app, store, monitor, analyst, analyst token id).
async fn logged_store() -> (
    axum::Router,
    std::sync::Arc<dyn truce_store::Store>,
    String,
    String,
    i64,
    tempfile::TempDir,
) {
    let (state, store, monitor, analyst, id, dir) = logged_state().await;
    (truce_server::app(state), store, monitor, analyst, id, dir)
}

/// [`logged_store`] with the server's state rather than its router.
async fn logged_state() -> (
    truce_server::AppState,
    std::sync::Arc<dyn truce_store::Store>,
    String,
    String,
    i64,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    let loc = truce_store::Location::Sqlite(dir.path().join("data"));
    let (store, monitor, analyst, analyst_id) = tokio::task::spawn_blocking(move || {
        let store: std::sync::Arc<dyn truce_store::Store> =
            std::sync::Arc::from(truce_store::open(&loc).unwrap());
        // The shipped agreements, logged as the API logs an analyst's agreement.
        let dir_a =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/agreements");
        let mut files: Vec<_> = std::fs::read_dir(&dir_a)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        assert!(files.len() >= 5, "{files:?}");
        for f in files {
            let toml = std::fs::read_to_string(&f).unwrap();
            truce_server::pipeline::AgreementSink::put(
                &truce_server::pipeline::IngestAgreements::default(),
                &*store,
                "test",
                &toml,
            )
            .unwrap();
        }
        let mk = |role, label| {
            let t = truce_server::auth::generate_token().unwrap();
            let row = store
                .put_token("test", &truce_server::auth::hash_token(&t), role, label)
                .unwrap();
            (t, row.id)
        };
        let (monitor, _) = mk(truce_store::Role::Monitor, "field monitor");
        let (analyst, id) = mk(truce_store::Role::Analyst, "desk analyst");
        (store, monitor, analyst, id)
    })
    .await
    .unwrap();
    let state = truce_server::AppState::new(
        std::sync::Arc::clone(&store),
        truce_server::Config::default(),
    );
    (state, store, monitor, analyst, analyst_id, dir)
}

/// Verifies the store's log as `truce verify --data` does (signatures, tree, tiles) and replays
/// its verdicts; returns the entries.
fn verify_and_replay(store: &dyn truce_store::Store) -> Vec<truce_wire::entry::Entry> {
    let key = store.log_key().unwrap().unwrap();
    let verifier = truce_note::Verifier::parse(&key.verifier).unwrap();
    let mut entries = Vec::new();
    let report = truce_tlog::verify_log(
        &truce_tlog::StorageFetcher(store),
        &[verifier],
        None,
        &mut |_, e| {
            entries.push(e.to_vec());
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(report.entries, entries.len() as u64);
    let replay = truce_ingest::replay_verdicts(entries.clone()).unwrap();
    assert!(replay.ok(), "{:?}", replay.mismatches);
    let parsed: Vec<truce_wire::entry::Entry> = entries
        .iter()
        .map(|e| truce_wire::entry::Entry::from_bytes(e).unwrap())
        .collect();
    let verdicts = parsed
        .iter()
        .filter(|e| matches!(e, truce_wire::entry::Entry::Verdict(_)))
        .count();
    assert_eq!(replay.verdicts_matched, verdicts as u64);
    parsed
}

/// Analysts' reviews are log entries and the engine reads them: `verify` gives
/// `analyst_reviewed`, `dispute` gives `contested`, `mark_duplicate` makes the event not
/// applicable; each is logged with the verdicts it changes, and the log replays byte for byte.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviews_are_logged_judged_and_replayed() {
    let (app, store, monitor, analyst, analyst_id, _dir) = logged_store().await;
    let submit = |body: Value| {
        let (app, monitor) = (app.clone(), monitor.clone());
        async move {
            let (s, _, b) = call(
                &app,
                Method::POST,
                "/api/v1/reports",
                Some(&monitor),
                Some(body.to_string().into_bytes()),
            )
            .await;
            assert_eq!(s, StatusCode::CREATED, "{}", String::from_utf8_lossy(&b));
            let v: Value = serde_json::from_slice(&b).unwrap();
            v["events"][0].as_str().unwrap().to_string()
        }
    };
    let kharkiv = submit(common::report()).await;
    let mut odesa = common::report();
    odesa["time"] = json!("2025-04-03");
    odesa["place"] = json!("Odesa");
    odesa["admin1"] = json!("Odesa Oblast");
    odesa["lat"] = json!(46.4825);
    odesa["lon"] = json!(30.7233);
    odesa["narrative"] = json!("A drone struck the port's substation; the yard lost power.");
    let odesa = submit(odesa).await;
    assert_ne!(kharkiv, odesa);

    let moratorium = "energy_moratorium_2025";
    let strength = |event: String| {
        let app = app.clone();
        async move {
            let v = get_json(
                &app,
                &format!("/api/v1/verdicts?event={event}&agreement={moratorium}"),
            )
            .await;
            (
                v["items"][0]["verdict"].as_str().unwrap().to_string(),
                v["items"][0]["strength"].as_str().map(str::to_string),
            )
        }
    };
    assert_eq!(
        strength(kharkiv.clone()).await,
        ("violation_alleged".into(), Some("one_party_claim".into()))
    );
    let log_size = |store: std::sync::Arc<dyn truce_store::Store>| async move {
        tokio::task::spawn_blocking(move || store.log_size().unwrap())
            .await
            .unwrap()
    };
    let review = |token: String, body: Value| {
        let app = app.clone();
        async move {
            let (s, _, b) = call(
                &app,
                Method::POST,
                "/api/v1/reviews",
                Some(&token),
                Some(body.to_string().into_bytes()),
            )
            .await;
            let v: Value = serde_json::from_slice(&b).unwrap();
            (s, v)
        }
    };

    // A monitor may not review: 403, and nothing is logged.
    let size0 = log_size(store.clone()).await;
    let verify = json!({"event": kharkiv, "agreement": moratorium, "action": "verify", "note": "matched with satellite imagery"});
    let (s, v) = review(monitor.clone(), verify.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(log_size(store.clone()).await, size0);

    // verify -> analyst_reviewed, logged with the verdicts it changed and audited with its
    // author.
    let (s, v) = review(analyst.clone(), verify).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let s2 = store.clone();
    let audit = tokio::task::spawn_blocking(move || s2.audit(&truce_store::Query::limit(1000)))
        .await
        .unwrap()
        .unwrap();
    assert!(
        audit
            .items
            .iter()
            .any(|a| a.action == "add_review" && a.author.contains("analyst")),
        "{:?}",
        audit.items
    );
    assert_eq!(v["verdict"]["strength"], "analyst_reviewed", "{v}");
    assert!(v["verdicts"].as_u64().unwrap() >= 1, "{v}");
    let size1 = log_size(store.clone()).await;
    assert_eq!(v["log_size"].as_u64(), Some(size1));
    assert_eq!(size1, size0 + 1 + v["verdicts"].as_u64().unwrap(), "{v}");
    assert_eq!(
        strength(kharkiv.clone()).await,
        ("violation_alleged".into(), Some("analyst_reviewed".into()))
    );
    let comp = get_json(
        &app,
        &format!("/api/v1/compliance?agreement={moratorium}&party=RU"),
    )
    .await;
    assert_eq!(comp[0]["analyst_reviewed"], 1, "{comp}");

    // dispute -> contested (a dispute outweighs a verification).
    let dispute = json!({"event": kharkiv, "agreement": moratorium, "action": "dispute", "note": "the plant's operator reports no damage"});
    let (s, v) = review(analyst.clone(), dispute).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["verdict"]["strength"], "contested", "{v}");
    assert!(log_size(store.clone()).await > size1);

    // mark_duplicate -> not applicable under every agreement, naming the rule.
    let (before, _) = strength(odesa.clone()).await;
    assert_eq!(before, "violation_alleged");
    let dup = json!({"event": odesa, "agreement": moratorium, "action": "mark_duplicate", "duplicate_of": kharkiv, "note": "the same strike, misdated"});
    let (s, v) = review(analyst.clone(), dup).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["verdict"]["verdict"], "not_applicable", "{v}");
    assert!(
        v["verdict"]["reason"]
            .as_str()
            .unwrap()
            .contains("duplicate"),
        "{v}"
    );
    let all = get_json(&app, &format!("/api/v1/verdicts?event={odesa}")).await;
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["verdict"] == "not_applicable"),
        "{all}"
    );

    // The log verifies, its verdicts replay byte for byte, and it holds the three reviews with
    // their author's role and token.
    let s2 = std::sync::Arc::clone(&store);
    let entries = tokio::task::spawn_blocking(move || verify_and_replay(&*s2))
        .await
        .unwrap();
    let reviews: Vec<&truce_wire::entry::ReviewEntry> = entries
        .iter()
        .filter_map(|e| match e {
            truce_wire::entry::Entry::Review(r) => Some(r),
            _ => None,
        })
        .collect();
    let actions: Vec<&str> = reviews.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["verify", "dispute", "duplicate"]);
    for r in &reviews {
        assert_eq!(r.role, "analyst");
        assert_eq!(r.author, format!("token#{analyst_id}"));
        assert_eq!(r.agreement.as_deref(), Some(moratorium));
    }
    assert_eq!(reviews[2].duplicate_of.as_deref(), Some(kharkiv.as_str()));
    // And the store's reviews hold them too (same transaction as the entries).
    let s3 = std::sync::Arc::clone(&store);
    let k2 = kharkiv.clone();
    let rows = tokio::task::spawn_blocking(move || s3.reviews(&k2).unwrap())
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
}

/// A coder that hands the pipeline a report as the server codes it (another ingest process).
struct Precoded(truce_model::CodedDocument);

impl truce_ingest::Coding for Precoded {
    fn code(&self, _doc: &truce_ingest::RawDoc, id: &str) -> truce_model::CodedDocument {
        let mut c = self.0.clone();
        c.document.id = id.to_string();
        c
    }
}

/// The server keeps one ingest ledger: it replays the log once (at the first write), then each
/// write catches up on what other processes appended and judges its own batch; writes in a row
/// each give the right verdicts, and the log replays byte for byte.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_share_one_live_ledger_and_catch_up_with_other_processes() {
    let (state, store, monitor, analyst, _, _dir) = logged_state().await;
    let app = truce_server::app(state.clone());
    let live = std::sync::Arc::clone(&state.live);
    assert_eq!(live.replays(), 0);
    // Built at startup (as `serve` does); once only.
    let (l2, s2) = (std::sync::Arc::clone(&live), std::sync::Arc::clone(&store));
    let logged = tokio::task::spawn_blocking(move || {
        l2.warm(&*s2).unwrap();
        l2.warm(&*s2).unwrap();
        s2.log_size().unwrap()
    })
    .await
    .unwrap();
    assert!(logged > 0);
    assert_eq!((live.replays(), live.size()), (1, logged));
    let post = |token: String, uri: &'static str, body: Vec<u8>| {
        let app = app.clone();
        async move {
            let (s, _, b) = call(&app, Method::POST, uri, Some(&token), Some(body)).await;
            let v: Value = serde_json::from_slice(&b).unwrap();
            (s, v)
        }
    };
    let moratorium = "energy_moratorium_2025";
    let verdict = |event: String, agreement: &'static str| {
        let app = app.clone();
        async move {
            let v = get_json(
                &app,
                &format!("/api/v1/verdicts?event={event}&agreement={agreement}"),
            )
            .await;
            (
                v["items"][0]["verdict"].as_str().map(str::to_string),
                v["items"][0]["strength"].as_str().map(str::to_string),
            )
        }
    };
    let alleged = (
        Some("violation_alleged".to_string()),
        Some("one_party_claim".to_string()),
    );

    // Two reports in a row: each is judged, the log was replayed once.
    let (s, v) = post(
        monitor.clone(),
        "/api/v1/reports",
        common::report().to_string().into_bytes(),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let kharkiv = v["events"][0].as_str().unwrap().to_string();
    assert_eq!(verdict(kharkiv.clone(), moratorium).await, alleged);
    assert_eq!(live.replays(), 1);
    let mut odesa = common::report();
    odesa["time"] = json!("2025-04-03");
    odesa["place"] = json!("Odesa");
    odesa["admin1"] = json!("Odesa Oblast");
    odesa["lat"] = json!(46.4825);
    odesa["lon"] = json!(30.7233);
    odesa["narrative"] = json!("A drone struck the port's substation; the yard lost power.");
    let (s, v) = post(
        monitor.clone(),
        "/api/v1/reports",
        odesa.to_string().into_bytes(),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let odesa = v["events"][0].as_str().unwrap().to_string();
    assert_ne!(odesa, kharkiv);
    assert_eq!(verdict(odesa.clone(), moratorium).await, alleged);
    assert_eq!(live.size(), {
        let s = std::sync::Arc::clone(&store);
        tokio::task::spawn_blocking(move || s.log_size().unwrap())
            .await
            .unwrap()
    });

    // Another process (its own pipeline over the same store) logs a report from Dnipro.
    let mut dnipro = common::report();
    dnipro["time"] = json!("2025-04-05");
    dnipro["place"] = json!("Dnipro");
    dnipro["admin1"] = json!("Dnipropetrovsk Oblast");
    dnipro["lat"] = json!(48.4647);
    dnipro["lon"] = json!(35.0462);
    dnipro["narrative"] =
        json!("A missile hit a substation on the left bank; two feeders tripped.");
    let req: truce_wire::api::ReportRequest = serde_json::from_value(dnipro).unwrap();
    let (text, coded) = truce_server::reports::code_report(&req, chrono::Utc::now()).unwrap();
    let s2 = std::sync::Arc::clone(&store);
    let dnipro = tokio::task::spawn_blocking(move || {
        let signer = truce_ingest::store_sink::log_signer(&*s2).unwrap();
        let sink = truce_ingest::store_sink::StoreSink::new(&*s2, signer, "other process");
        let coder = Precoded(coded.clone());
        let rules = truce_ingest::engine::Rules;
        let mut run =
            truce_ingest::Ingest::open(&rules, &coder, sink, truce_ingest::Options::default())
                .unwrap();
        let raw = truce_ingest::RawDoc {
            text,
            published: coded.document.published,
            language: Some("en".into()),
            url: None,
            outlet: None,
            source: "monitor report".into(),
            format: truce_ingest::Format::Text,
            jsonl: false,
        };
        let summary = run.run_docs([Ok(raw)], &mut truce_ingest::Quiet).unwrap();
        assert_eq!(summary.new, 1);
        let key = truce_store::RecordKey::new(coded.document.id.clone(), 0);
        s2.events_of_incident(&key).unwrap()[0].clone()
    })
    .await
    .unwrap();
    assert_eq!(verdict(dnipro.clone(), moratorium).await, alleged);
    assert!(
        live.size() < {
            let s = std::sync::Arc::clone(&store);
            tokio::task::spawn_blocking(move || s.log_size().unwrap())
                .await
                .unwrap()
        }
    );

    // The server's next write (a new agreement) catches up first: the other process's event is
    // judged under it too, with no second replay of the log.
    let toml = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/agreements/energy_moratorium_2025.toml"),
    )
    .unwrap()
    .replace(
        "id = \"energy_moratorium_2025\"",
        "id = \"energy_moratorium_copy\"",
    );
    let (s, v) = post(analyst.clone(), "/api/v1/agreements", toml.into_bytes()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["verdicts"], 3, "{v}");
    for event in [&kharkiv, &odesa, &dnipro] {
        assert_eq!(
            verdict(event.clone(), "energy_moratorium_copy").await,
            alleged,
            "{event}"
        );
    }
    assert_eq!(live.replays(), 1);

    // A review right after: judged on the same ledger.
    let body = json!({"event": dnipro, "agreement": moratorium, "action": "verify", "note": "seen on site"});
    let (s, v) = post(
        analyst.clone(),
        "/api/v1/reviews",
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["verdict"]["strength"], "analyst_reviewed", "{v}");
    assert_eq!(live.replays(), 1);
    assert_eq!(live.size(), v["log_size"].as_u64().unwrap());

    // Two reports at once take turns on the one ledger.
    let at = |place: &str, admin1: &str, lat: f64, lon: f64| {
        let mut r = common::report();
        r["time"] = json!("2025-04-07");
        r["place"] = json!(place);
        r["admin1"] = json!(admin1);
        r["lat"] = json!(lat);
        r["lon"] = json!(lon);
        r.to_string().into_bytes()
    };
    let (one, two) = tokio::join!(
        post(
            monitor.clone(),
            "/api/v1/reports",
            at("Sumy", "Sumy Oblast", 50.9077, 34.7981)
        ),
        post(
            monitor.clone(),
            "/api/v1/reports",
            at("Poltava", "Poltava Oblast", 49.5883, 34.5514)
        ),
    );
    for (s, v) in [&one, &two] {
        assert_eq!(*s, StatusCode::CREATED, "{v}");
        let event = v["events"][0].as_str().unwrap().to_string();
        assert_eq!(verdict(event, "energy_moratorium_copy").await, alleged);
    }
    assert_eq!(live.replays(), 1);

    let s2 = std::sync::Arc::clone(&store);
    tokio::task::spawn_blocking(move || verify_and_replay(&*s2))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_is_served_as_tlog_tiles() {
    let f = fixture(truce_server::Config::default()).await;
    let (s, _, _) = call(&f.app, Method::GET, "/checkpoint", None, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an empty log has no checkpoint");
    // A real log of 300 entries (one full level-0 tile, one partial), served from its storage.
    let (storage, checkpoint) = common::memory_log(300);
    let app = f.with_log(std::sync::Arc::new(storage.clone()));
    let (s, h, b) = call(&app, Method::GET, "/checkpoint", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    assert_eq!(h[header::CACHE_CONTROL], "public, max-age=5");
    assert_eq!(b, checkpoint);
    assert!(
        String::from_utf8(b)
            .unwrap()
            .starts_with("truce.test/log\n300\n")
    );
    for (path, width) in [
        ("0/000", 256u16),
        ("0/001.p/44", 44),
        ("entries/000", 256),
        ("entries/001.p/44", 44),
        ("0/001.p/10", 10),
    ] {
        let (s, h, b) = call(&app, Method::GET, &format!("/tile/{path}"), None, None).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert_eq!(h[header::CONTENT_TYPE], "application/octet-stream");
        assert_eq!(
            h[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let t = truce_server::tiles::parse(path).unwrap();
        assert_eq!(t.width(), width);
        let want = match t {
            truce_server::tiles::TilePath::Hash {
                level,
                index,
                width,
            } => truce_tlog::LogStorage::read_tile(
                &storage,
                truce_tlog::TileId {
                    level,
                    index,
                    width,
                },
            )
            .unwrap()
            .unwrap(),
            truce_server::tiles::TilePath::Entries { index, width } => {
                truce_tlog::LogStorage::read_entry_bundle(
                    &storage,
                    truce_tlog::EntryBundleId { index, width },
                )
                .unwrap()
                .unwrap()
            }
        };
        assert_eq!(b, want, "{path}");
    }
    // Not (yet) in the log, or not a canonical tile path.
    for path in [
        "0/002",
        "0/001",
        "0/001.p/45",
        "1/000",
        "0/x000/000",
        "0/1",
        "entries/001",
    ] {
        let (s, _, _) = call(&app, Method::GET, &format!("/tile/{path}"), None, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_assets_are_embedded() {
    let f = fixture(truce_server::Config::default()).await;
    for (path, ctype) in [
        ("/", "text/html; charset=utf-8"),
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        (
            "/assets/vendor/leaflet.js",
            "text/javascript; charset=utf-8",
        ),
        (
            "/assets/vendor/uPlot.iife.min.js",
            "text/javascript; charset=utf-8",
        ),
        ("/assets/data/world-50m.topo.json", "application/json"),
        ("/assets/data/ukraine-adm1.geojson", "application/geo+json"),
    ] {
        let (s, h, b) = call(&f.app, Method::GET, path, None, None).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert_eq!(h[header::CONTENT_TYPE], ctype, "{path}");
        assert!(!b.is_empty());
        let etag = h[header::ETAG].to_str().unwrap().to_string();
        let req = Request::builder()
            .uri(path)
            .header(header::IF_NONE_MATCH, etag)
            .body(axum::body::Body::empty())
            .unwrap();
        let resp = f.app.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_MODIFIED, "{path}");
    }
    let (_, _, b) = call(&f.app, Method::GET, "/", None, None).await;
    let html = String::from_utf8(b).unwrap();
    assert!(
        html.contains("geoBoundaries") && html.contains("Natural Earth"),
        "attribution shown"
    );
    assert!(
        !html.contains("https://cdn") && !html.contains("unpkg"),
        "no CDN"
    );
}

/// A small deterministic generator (xorshift64*) for the malformed-request run below.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn junk(&mut self, n: usize) -> String {
        const ALPHABET: &[u8] = b"az09-_.%/?&=+#x\\\"{}[]:,\x01\xff ";
        let len = (self.next() % n as u64) as usize;
        (0..len)
            .map(|_| ALPHABET[(self.next() % ALPHABET.len() as u64) as usize])
            .map(char::from)
            .collect()
    }
}

/// Thousands of malformed requests (paths, queries, bodies, headers built from real routes
/// and junk): none may crash the server or answer 5xx.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_never_get_server_errors() {
    let f = fixture(truce_server::Config {
        body_limit: 2048,
        ..truce_server::Config::default()
    })
    .await;
    let paths = [
        "/api/v1/events",
        "/api/v1/events/",
        "/api/v1/documents",
        "/api/v1/incidents",
        "/api/v1/statements",
        "/api/v1/verdicts",
        "/api/v1/compliance",
        "/api/v1/agreements/",
        "/api/v1/export/events.csv",
        "/api/v1/export/events.geojson",
        "/api/v1/reports",
        "/api/v1/reviews",
        "/api/v1/tokens",
        "/api/v1/audit",
        "/tile/",
        "/tile/entries/",
        "/checkpoint",
        "/assets/",
        "/",
    ];
    let keys = [
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
        "party",
        "event",
        "document",
        "x",
    ];
    let values = [
        "2025-03-18",
        "2025-02-30",
        "RU",
        "energy",
        "violation_alleged",
        "0",
        "1001",
        "-1",
        "energy-moratorium-2025",
        "%ff",
        "%00",
        "",
    ];
    let bodies = [
        r#"{"time":"2025-03-28","place":"Kharkiv","targets":["energy"],"narrative":"x"}"#,
        r#"{"event":"ev-kherson","agreement":"energy-moratorium-2025","action":"dispute","note":"n"}"#,
        r#"{"role":"monitor"}"#,
        "[]",
        "null",
        "{",
        r#"{"time":1e999}"#,
        r#"{"killed":{"n":4294967296}}"#,
    ];
    let tokens = [
        None,
        Some(f.admin.as_str()),
        Some(f.monitor.as_str()),
        Some("x"),
    ];
    let methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::HEAD,
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..1500 {
        let mut uri = rng.pick(&paths).to_string();
        if rng.next().is_multiple_of(2) {
            uri.push_str(
                &rng.junk(24)
                    .replace(['#', ' ', '\\', '"', '{', '}', '\x01', '\u{ff}'], "_"),
            );
        }
        if rng.next().is_multiple_of(2) {
            uri.push('?');
            for _ in 0..(rng.next() % 4) {
                let v = if rng.next().is_multiple_of(3) {
                    rng.junk(12)
                } else {
                    rng.pick(&values).to_string()
                };
                let v: String = v
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || "-_.%".contains(*c))
                    .collect();
                uri.push_str(&format!("{}={}&", rng.pick(&keys), v));
            }
        }
        let method = methods[(rng.next() % methods.len() as u64) as usize].clone();
        let body = match rng.next() % 4 {
            0 => None,
            1 => Some(rng.junk(3000).into_bytes()),
            _ => {
                let mut b = rng.pick(&bodies).to_string();
                if rng.next().is_multiple_of(2) && b.len() > 2 {
                    let cut = (rng.next() % b.len() as u64) as usize;
                    b.insert_str(cut, &rng.junk(8));
                }
                Some(b.into_bytes())
            }
        };
        let token = tokens[(rng.next() % tokens.len() as u64) as usize];
        let Ok(req_uri) = uri.parse::<axum::http::Uri>() else {
            continue;
        };
        let (s, _, b) = call(&f.app, method.clone(), &req_uri.to_string(), token, body).await;
        assert!(
            !s.is_server_error(),
            "request {i}: {method} {uri} -> {s}: {}",
            String::from_utf8_lossy(&b)
        );
    }
}
