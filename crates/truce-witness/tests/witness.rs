//! truce-witness over HTTP on 127.0.0.1: the tlog-witness add-checkpoint status codes, state
//! persistence across restarts, and cosignatures that verify.

use std::sync::Arc;

use truce_note::{Note, SigType, Signer, Verifier};
use truce_tlog::{Log, MemoryStorage};
use truce_witness::*;

fn log_signer() -> Signer {
    Signer::from_seed("log.truce.example/w", SigType::Ed25519, &[3; 32]).unwrap()
}

fn witness_signer() -> Signer {
    Signer::from_seed("witness.truce.example", SigType::CosignatureV1, &[4; 32]).unwrap()
}

/// Starts a witness with a directory state on 127.0.0.1:0; returns its URL.
fn start(state: &std::path::Path) -> String {
    let mut logs = LogList::default();
    logs.add("log.truce.example/w", log_signer().verifier());
    let w = Arc::new(Witness::new(
        witness_signer(),
        logs,
        Box::new(DirState::open(state).unwrap()),
    ));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || rt.block_on(serve(listener, w)));
    format!("http://{addr}")
}

/// POSTs a body; returns (status, content type, body).
fn post(url: &str, body: &[u8]) -> (u16, String, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .post(&format!("{url}/add-checkpoint"))
        .send(body)
        .unwrap();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (
        r.status().as_u16(),
        ct,
        r.body_mut().read_to_string().unwrap(),
    )
}

fn req(old: u64, proof: Vec<[u8; 32]>, cp: &[u8]) -> Vec<u8> {
    AddRequest {
        old_size: old,
        proof,
        checkpoint: cp.to_vec(),
    }
    .to_body()
}

/// One request and the status it must get (and a fragment of its body).
fn check(url: &str, body: &[u8], status: u16, fragment: &str) -> String {
    let (s, _, b) = post(url, body);
    assert_eq!(s, status, "body: {b}");
    assert!(b.contains(fragment), "{b:?} lacks {fragment:?}");
    b
}

fn cosigned(cp: &[u8], lines: &str, v: &Verifier) -> u64 {
    let mut note = String::from_utf8(cp.to_vec()).unwrap();
    note.push_str(lines);
    let opened = Note::open(note.as_bytes(), std::slice::from_ref(v)).unwrap();
    opened.verified[0].1.unwrap()
}

#[test]
fn add_checkpoint_protocol() {
    let dir = tempfile::tempdir().unwrap();
    let url = start(dir.path());
    let wv = witness_signer().verifier();
    let mut log = Log::open(MemoryStorage::new(), log_signer()).unwrap();
    log.append_batch(&(0..10u8).map(|i| vec![i]).collect::<Vec<_>>())
        .unwrap();
    let cp10 = log.checkpoint().to_vec();

    // First sight: old 0, empty proof.
    let lines = check(
        &url,
        &req(0, vec![], &cp10),
        200,
        "\u{2014} witness.truce.example ",
    );
    assert!(cosigned(&cp10, &lines, &wv) > 1_600_000_000);
    // Stale old size: 409 with the latest size.
    let (s, ct, b) = post(&url, &req(0, vec![], &cp10));
    assert_eq!(
        (s, ct.as_str(), b.as_str()),
        (409, "text/x.tlog.size", "10\n")
    );
    // Same size, same root: cosigned again.
    check(&url, &req(10, vec![], &cp10), 200, "\u{2014}");

    log.append_batch(
        &(10..300u16)
            .map(|i| i.to_be_bytes().to_vec())
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let cp300 = log.checkpoint().to_vec();
    let proof = log.consistency_proof(10, 300).unwrap();
    // A bad proof: 422, and nothing changes.
    let mut bad = proof.clone();
    bad[0][0] ^= 1;
    check(&url, &req(10, bad, &cp300), 422, "consistency proof");
    check(&url, &req(10, proof[1..].to_vec(), &cp300), 422, "expected");
    // old > size: 400.
    check(
        &url,
        &req(400, vec![], &cp300),
        400,
        "above the checkpoint size",
    );
    // The good proof: 200.
    let lines = check(&url, &req(10, proof, &cp300), 200, "\u{2014}");
    cosigned(&cp300, &lines, &wv);

    // A fork at the same size (same key, other entries): 422.
    let mut fork = Log::open(MemoryStorage::new(), log_signer()).unwrap();
    fork.append_batch(
        &(0..300u16)
            .map(|i| i.to_le_bytes().to_vec())
            .collect::<Vec<_>>(),
    )
    .unwrap();
    check(
        &url,
        &req(300, vec![], fork.checkpoint()),
        422,
        "another root",
    );

    // Unknown origin: 404. Untrusted or forged signatures: 403.
    let other = Signer::from_seed("other.example/log", SigType::Ed25519, &[5; 32]).unwrap();
    let stranger = Log::open(MemoryStorage::new(), other).unwrap();
    check(
        &url,
        &req(0, vec![], stranger.checkpoint()),
        404,
        "unknown log origin",
    );
    let impostor = Log::open(
        MemoryStorage::new(),
        Signer::from_seed("log.truce.example/w", SigType::Ed25519, &[6; 32]).unwrap(),
    )
    .unwrap();
    check(
        &url,
        &req(300, vec![], impostor.checkpoint()),
        403,
        "no signature by a known key",
    );
    let mut forged = cp300.clone();
    let n = forged.len();
    forged[n - 10] = if forged[n - 10] == b'A' { b'B' } else { b'A' };
    check(&url, &req(300, vec![], &forged), 403, "does not verify");

    // Malformed bodies: 400.
    check(&url, b"old 01\n\n", 400, "leading zeroes");
    check(&url, b"new 1\n\n", 400, "old <size>");
    check(&url, b"old 1\n!!!\n\n", 400, "base64");
    check(&url, b"old 1", 400, "missing newline");
    check(&url, &req(300, vec![], b"not a note"), 400, "checkpoint");
    let many = req(1, vec![[0; 32]; 64], &cp300);
    check(&url, &many, 400, "more than 63");

    // Restart: the state survived (the witness only accepts old 300 now).
    let url2 = start(dir.path());
    let (s, _, b) = post(&url2, &req(10, vec![], &cp10));
    assert_eq!((s, b.as_str()), (409, "300\n"));
}

#[test]
fn size_zero_rules() {
    let dir = tempfile::tempdir().unwrap();
    let url = start(dir.path());
    let log = Log::open(MemoryStorage::new(), log_signer()).unwrap();
    // The empty log's checkpoint is cosigned; a proof from 0 must be empty.
    check(&url, &req(0, vec![], log.checkpoint()), 200, "\u{2014}");
    let mut l2 = Log::open(MemoryStorage::new(), log_signer()).unwrap();
    l2.append_batch(&[b"a".to_vec()]).unwrap();
    check(
        &url,
        &req(0, vec![[1; 32]], l2.checkpoint()),
        422,
        "must be empty",
    );
    // A size-0 checkpoint with a non-empty root.
    let text = format!(
        "log.truce.example/w\n0\n{}\n",
        "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="
    );
    let note = Note::sign(&text, &[&log_signer()], 0).unwrap().to_text();
    check(&url, &req(0, vec![], note.as_bytes()), 422, "empty tree");
    // Log lists parse from text.
    let list = LogList::parse(&format!(
        "# trusted logs\n{}\nalias.example {}\n",
        log_signer().verifier(),
        log_signer().verifier()
    ))
    .unwrap();
    assert_eq!(list.len(), 2);
    assert!(LogList::parse("garbage+key").is_err());
}
