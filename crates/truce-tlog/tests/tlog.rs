//! truce-tlog: tile paths, the sequencer over memory and file storage, proofs from tiles,
//! publishing, verification of truce's and another implementation's logs, tamper detection.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use truce_merkle::{MemoryTree, leaf_hash, verify_consistency, verify_inclusion};
use truce_note::{Checkpoint, SigType, Signer, Verifier};
use truce_tlog::tile::{parse_bundle, push_bundle_entry};
use truce_tlog::*;

fn signer() -> Signer {
    Signer::from_seed("log.truce.example/test", SigType::Ed25519, &[7; 32]).unwrap()
}

fn entry(i: u64) -> Vec<u8> {
    format!(
        "{{\"n\":{i},\"pad\":\"{}\"}}",
        "x".repeat((i % 50) as usize)
    )
    .into_bytes()
}

fn no_replay() -> impl FnMut(u64, &[u8]) -> Result<(), String> {
    |_, _| Ok(())
}

mod paths {
    use super::*;

    fn check(id: TileId, path: &str) {
        assert_eq!(id.path(), path);
        assert_eq!(TileId::parse_path(path).unwrap(), id);
    }

    #[test]
    fn tile_paths() {
        check(
            TileId {
                level: 0,
                index: 0,
                width: 256,
            },
            "tile/0/000",
        );
        check(
            TileId {
                level: 0,
                index: 1234067,
                width: 256,
            },
            "tile/0/x001/x234/067",
        );
        check(
            TileId {
                level: 2,
                index: 1000,
                width: 7,
            },
            "tile/2/x001/000.p/7",
        );
        check(
            TileId {
                level: 63,
                index: 999,
                width: 255,
            },
            "tile/63/999.p/255",
        );
        let b = EntryBundleId {
            index: 5,
            width: 12,
        };
        assert_eq!(b.path(), "tile/entries/005.p/12");
        assert_eq!(
            EntryBundleId::parse_path("tile/entries/005.p/12").unwrap(),
            b
        );
        for bad in [
            "tile/0/1",
            "tile/00/000",
            "tile/64/000",
            "tile/0/001/000",
            "tile/0/x000/001",
            "tile/0/000.p/0",
            "tile/0/000.p/256",
            "tile/0/000.p/07",
            "tile/entries/000",
            "tiles/0/000",
            "tile/0/x18446744073709551/615",
        ] {
            assert!(TileId::parse_path(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn tiles_in_a_tree() {
        // The spec's example: a tree of 70,000 entries.
        let size = 70_000;
        assert_eq!(TileId::in_tree(0, 272, size).unwrap().width, 256);
        assert_eq!(TileId::in_tree(0, 273, size).unwrap().width, 112);
        assert!(TileId::in_tree(0, 274, size).is_none());
        assert_eq!(TileId::in_tree(1, 0, size).unwrap().width, 256);
        assert_eq!(TileId::in_tree(1, 1, size).unwrap().width, 17);
        assert_eq!(TileId::in_tree(2, 0, size).unwrap().width, 1);
        assert!(TileId::in_tree(3, 0, size).is_none());
    }

    #[test]
    fn bundles() {
        let mut b = Vec::new();
        push_bundle_entry(&mut b, b"one").unwrap();
        push_bundle_entry(&mut b, b"").unwrap();
        assert_eq!(b, b"\x00\x03one\x00\x00");
        assert_eq!(parse_bundle(&b).unwrap(), vec![&b"one"[..], &b""[..]]);
        assert!(parse_bundle(b"\x00\x05one").is_err());
        assert!(parse_bundle(b"\x00").is_err());
        assert!(push_bundle_entry(&mut b, &vec![0; 65536]).is_err());
    }
}

/// Appends batches of the given sizes and checks everything against a reference tree.
fn check_log<S: LogStorage>(log: &mut Log<S>, batches: &[usize], tree: &mut MemoryTree) {
    let verifier = log.verifier();
    for &n in batches {
        let start = log.size();
        let entries: Vec<Vec<u8>> = (start..start + n as u64).map(entry).collect();
        let range = log.append_batch(&entries).unwrap();
        assert_eq!(range, start..start + n as u64);
        for e in &entries {
            tree.push(leaf_hash(e));
        }
        let size = log.size();
        assert_eq!(log.root(), tree.root(), "root at {size}");
        let note =
            truce_note::Note::open(log.checkpoint(), std::slice::from_ref(&verifier)).unwrap();
        let cp = Checkpoint::parse(&note.note.text).unwrap();
        assert_eq!((cp.size, cp.root), (size, tree.root()));
        for i in [0, size / 3, size / 2, size.saturating_sub(1)] {
            if i >= size {
                continue;
            }
            assert_eq!(log.entry(i).unwrap(), entry(i));
            for at in [i + 1, size / 2 + 1, size] {
                if at <= i || at > size {
                    continue;
                }
                let p = log.inclusion_proof(i, at).unwrap();
                assert_eq!(p, truce_merkle::inclusion_proof(&*tree, i, at).unwrap());
                verify_inclusion(i, at, &leaf_hash(&entry(i)), &p, &tree.root_at(at).unwrap())
                    .unwrap();
            }
        }
        for a in [0, 1, size / 4, size / 2, size] {
            if a > size {
                continue;
            }
            let p = log.consistency_proof(a, size).unwrap();
            assert_eq!(p, truce_merkle::consistency_proof(&*tree, a, size).unwrap());
            verify_consistency(a, size, &p, &tree.root_at(a).unwrap(), &tree.root()).unwrap();
            assert_eq!(log.root_at(a).unwrap(), tree.root_at(a).unwrap());
        }
        assert!(log.entry(size).is_err());
        assert!(log.inclusion_proof(0, size + 1).is_err());
    }
}

const BATCHES: &[usize] = &[1, 2, 253, 1, 255, 256, 1000, 64_000, 3];

#[test]
fn sequencer_in_memory() {
    let mut log = Log::open(MemoryStorage::new(), signer()).unwrap();
    assert_eq!(log.size(), 0);
    assert!(log.append_batch(&[]).unwrap().is_empty());
    let mut tree = MemoryTree::new();
    check_log(&mut log, BATCHES, &mut tree);
    // Reopen from storage and carry on.
    let storage = log.into_storage();
    let mut log = Log::open(storage, signer()).unwrap();
    check_log(&mut log, &[10, 300], &mut tree);
    // Too-large entries are refused without changing anything.
    let size = log.size();
    assert!(matches!(
        log.append_batch(&[b"ok".to_vec(), vec![0; 70_000]]),
        Err(LogError::EntryTooLarge { index: 1, .. })
    ));
    assert_eq!(log.size(), size);
    check_log(&mut log, &[5], &mut tree);
}

#[test]
fn open_refuses_another_key_and_conflicts() {
    let mut log = Log::open(MemoryStorage::new(), signer()).unwrap();
    log.append_batch(&[entry(0)]).unwrap();
    let other = Signer::from_seed("log.truce.example/test", SigType::Ed25519, &[8; 32]).unwrap();
    let storage = log.into_storage();
    assert!(matches!(
        Log::open(storage.clone(), other),
        Err(LogError::Note(_))
    ));
    // Two sequencers on one store: the second one's batch conflicts.
    let mut a = Log::open(storage.clone(), signer()).unwrap();
    a.append_batch(&[entry(1)]).unwrap();
    let mut raw = a.into_storage();
    let stale = truce_tlog::AppendBatch {
        old_size: 1,
        new_size: 2,
        entries: &[],
        tiles: vec![],
        bundles: vec![],
        checkpoint: vec![],
    };
    assert!(matches!(
        raw.append(&stale),
        Err(StorageError::Conflict {
            expected: 1,
            actual: 2
        })
    ));
}

#[test]
fn file_storage_is_durable_and_drops_torn_tails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.dat");
    let mut tree = MemoryTree::new();
    {
        let mut log = Log::open(FileStorage::open(&path).unwrap(), signer()).unwrap();
        check_log(&mut log, &[3, 300, 10], &mut tree);
    }
    // A torn write after the last batch (a crash mid-append) is cut off on open.
    let good_len = std::fs::metadata(&path).unwrap().len();
    {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(&[1, 0, 0, 0, 0, 0, 0, 0, 0, 9, 1, 0, 0, 0, 32, 0, 0xAB])
            .unwrap();
    }
    let mut log = Log::open(FileStorage::open(&path).unwrap(), signer()).unwrap();
    assert!(
        FileStorage::open(&path)
            .unwrap_err()
            .to_string()
            .contains("locked")
    );
    assert_eq!(std::fs::metadata(&path).unwrap().len(), good_len);
    assert_eq!(log.size(), 313);
    check_log(&mut log, &[1, 511], &mut tree);
    // A corrupted byte inside the last batch drops that batch (its digest fails).
    drop(log);
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n - 400] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let log = Log::open(FileStorage::open(&path).unwrap(), signer()).unwrap();
    assert_eq!(log.size(), 314);
    drop(log);
    std::fs::write(&path, b"not a log").unwrap();
    let err = FileStorage::open(&path).unwrap_err().to_string();
    assert!(err.contains("bad magic"), "{err}");
}

/// A crash can cut the file anywhere: reopening always yields the last whole batch before the
/// cut, a log that opens (signature and edge tiles check) and accepts appends.
#[test]
fn file_storage_survives_a_cut_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.dat");
    let mut ends = Vec::new(); // (file length, log size) after each batch
    {
        let mut log = Log::open(FileStorage::open(&path).unwrap(), signer()).unwrap();
        ends.push((std::fs::metadata(&path).unwrap().len(), 0));
        for n in [1u64, 255, 300, 2, 600] {
            let s = log.size();
            log.append_batch(&(s..s + n).map(entry).collect::<Vec<_>>())
                .unwrap();
            ends.push((std::fs::metadata(&path).unwrap().len(), log.size()));
        }
    }
    let full = std::fs::read(&path).unwrap();
    let mut cut = 0usize;
    while cut < full.len() {
        std::fs::write(&path, &full[..cut]).unwrap();
        let want = ends
            .iter()
            .filter(|(len, _)| *len as usize <= cut)
            .map(|(_, size)| *size)
            .next_back()
            .unwrap_or(0);
        let mut log = Log::open(FileStorage::open(&path).unwrap(), signer()).unwrap();
        assert_eq!(log.size(), want, "cut at {cut}");
        log.append_batch(&[entry(log.size())]).unwrap();
        cut += if cut < 20 { 1 } else { 997 };
    }
}

fn published(sizes: &[usize]) -> (tempfile::TempDir, Log<MemoryStorage>) {
    let mut log = Log::open(MemoryStorage::new(), signer()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for &n in sizes {
        let start = log.size();
        let entries: Vec<Vec<u8>> = (start..start + n as u64).map(entry).collect();
        log.append_batch(&entries).unwrap();
        log.publish(dir.path()).unwrap();
    }
    (dir, log)
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn publish_lays_out_tlog_tiles_and_verifies() {
    let (dir, log) = published(&[70, 300, 66_000]);
    let size = log.size();
    assert_eq!(size, 66_370);
    let root = dir.path();
    for p in [
        "checkpoint",
        "tile/0/000",
        "tile/0/258",
        "tile/0/259.p/66",
        "tile/1/000",
        "tile/1/001.p/3",
        "tile/2/000.p/1",
        "tile/entries/259.p/66",
        "tile/entries/000",
    ] {
        assert!(root.join(p).is_file(), "{p} missing");
    }
    // Earlier partial tiles stay (they serve earlier checkpoints).
    assert!(root.join("tile/0/000.p/70").is_file());
    let report = verify_log(
        &DirFetcher::new(root),
        &[log.verifier()],
        None,
        &mut no_replay(),
    )
    .unwrap();
    assert_eq!(report.entries, size);
    assert_eq!(report.bundles, 260);
    assert_eq!(report.checkpoint.root, log.root());
    // A second publish writes only what changed.
    let stats = log.publish(root).unwrap();
    assert_eq!(stats.tiles_written, 3);
    // The store itself verifies through the same client.
    verify_log(
        &StorageFetcher(log.storage()),
        &[log.verifier()],
        None,
        &mut no_replay(),
    )
    .unwrap();
}

#[test]
fn consistency_with_the_last_checkpoint_seen() {
    let (dir, mut log) = published(&[300]);
    let v = [log.verifier()];
    let first = verify_log(&DirFetcher::new(dir.path()), &v, None, &mut no_replay()).unwrap();
    log.append_batch(&(300..900).map(entry).collect::<Vec<_>>())
        .unwrap();
    log.publish(dir.path()).unwrap();
    let second = verify_log(
        &DirFetcher::new(dir.path()),
        &v,
        Some(&first.checkpoint),
        &mut no_replay(),
    )
    .unwrap();
    assert_eq!(second.consistent_with, Some(300));
    // Same key, other history (a fork): detected against the state.
    let (fork_dir, _) = {
        let mut other = Log::open(MemoryStorage::new(), signer()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut es: Vec<Vec<u8>> = (0..1000).map(entry).collect();
        es[10] = b"rewritten".to_vec();
        other.append_batch(&es).unwrap();
        other.publish(dir.path()).unwrap();
        (dir, other)
    };
    let err = verify_log(
        &DirFetcher::new(fork_dir.path()),
        &v,
        Some(&second.checkpoint),
        &mut no_replay(),
    )
    .unwrap_err();
    assert!(
        matches!(err, VerifyError::Inconsistent { size: 900, .. }),
        "{err}"
    );
    // Rollback: the state is ahead of the log.
    let (small, _) = published(&[10]);
    let err = verify_log(
        &DirFetcher::new(small.path()),
        &v,
        Some(&first.checkpoint),
        &mut no_replay(),
    )
    .unwrap_err();
    assert!(
        matches!(err, VerifyError::Rollback { old: 300, new: 10 }),
        "{err}"
    );
    // A replay callback's rejection is reported with the entry.
    let err = verify_log(&DirFetcher::new(dir.path()), &v, None, &mut |i, _| {
        if i == 42 {
            Err("bad verdict".into())
        } else {
            Ok(())
        }
    })
    .unwrap_err();
    assert!(err.to_string().contains("entry 42: bad verdict"), "{err}");
}

/// Flips one byte of a published file, verifies, restores; checks who gets the blame.
fn check_flip(dir: &Path, v: &[Verifier], rel: &str, pos: usize) {
    let path = dir.join(rel);
    let orig = std::fs::read(&path).unwrap();
    let pos = pos % orig.len();
    let mut bad = orig.clone();
    bad[pos] ^= 0x01;
    std::fs::write(&path, &bad).unwrap();
    let got = verify_log(&DirFetcher::new(dir), v, None, &mut no_replay());
    std::fs::write(&path, &orig).unwrap();
    let err = got.expect_err(&format!("flip at {rel}:{pos} not detected"));
    let msg = err.to_string();
    if rel == "checkpoint" {
        assert!(matches!(err, VerifyError::Checkpoint(_)), "{rel}: {msg}");
    } else if rel.starts_with("tile/entries/") {
        assert!(msg.contains(rel), "{rel}:{pos} blamed elsewhere: {msg}");
    } else {
        assert!(
            matches!(&err, VerifyError::BadTile { path, .. } if path == rel),
            "{rel}:{pos}: {msg}"
        );
    }
}

/// The resources of the current tree (stale partial tiles are not read).
fn current_files(dir: &Path, size: u64) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().to_string())
        .filter(|rel| {
            rel == "checkpoint"
                || TileId::parse_path(rel)
                    .is_ok_and(|id| TileId::in_tree(id.level, id.index, size) == Some(id))
                || EntryBundleId::parse_path(rel)
                    .is_ok_and(|id| EntryBundleId::in_tree(id.index, size) == Some(id))
        })
        .collect()
}

/// Flipping one byte anywhere in any file of a small log is detected and blamed right.
#[test]
fn every_flipped_byte_is_detected() {
    let (dir, log) = published(&[300, 700]);
    let v = [log.verifier()];
    let files = current_files(dir.path(), log.size());
    assert_eq!(files.len(), 1 + 4 + 4 + 1, "{files:?}");
    let mut checked = 0;
    for rel in &files {
        let len = std::fs::metadata(dir.path().join(rel)).unwrap().len() as usize;
        let step = (len / 40).max(1);
        for pos in (0..len).step_by(step).chain([len - 1]) {
            check_flip(dir.path(), &v, rel, pos);
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked}");
    verify_log(&DirFetcher::new(dir.path()), &v, None, &mut no_replay()).unwrap();
}

/// In a log with tiles at three levels, a flip in a high-level tile is found too.
#[test]
fn flips_in_higher_level_tiles_are_detected() {
    let (dir, log) = published(&[65_600]);
    let v = [log.verifier()];
    for (rel, pos) in [
        ("tile/2/000.p/1", 17),
        ("tile/1/000", 8191),
        ("tile/0/100", 4000),
        ("tile/entries/256.p/64", 100),
        ("tile/entries/007", 3),
    ] {
        check_flip(dir.path(), &v, rel, pos);
    }
}

#[test]
fn missing_files_are_named() {
    let (dir, log) = published(&[300]);
    std::fs::remove_file(dir.path().join("tile/entries/001.p/44")).unwrap();
    let err = verify_log(
        &DirFetcher::new(dir.path()),
        &[log.verifier()],
        None,
        &mut no_replay(),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "tile/entries/001.p/44 is missing");
}

/// Serves a directory over HTTP on 127.0.0.1 (GET only), for the HTTP fetcher.
fn serve(root: PathBuf) -> String {
    use std::io::{BufRead as _, BufReader, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
                    break;
                }
            }
            let path = line
                .split(' ')
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches("/log/")
                .to_string();
            let resp = match std::fs::read(root.join(&path)) {
                Ok(body) => {
                    let mut r = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    r.extend(body);
                    r
                }
                Err(_) => {
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .to_vec()
                }
            };
            let _ = stream.write_all(&resp);
        }
    });
    format!("http://{addr}/log")
}

#[test]
fn verifies_over_http() {
    let (dir, log) = published(&[1000]);
    let url = serve(dir.path().to_path_buf());
    let report = verify_log(
        &HttpFetcher::new(&url),
        &[log.verifier()],
        None,
        &mut no_replay(),
    )
    .unwrap();
    assert_eq!(report.entries, 1000);
    std::fs::remove_file(dir.path().join("tile/0/001")).unwrap();
    let err = verify_log(
        &HttpFetcher::new(&url),
        &[log.verifier()],
        None,
        &mut no_replay(),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "tile/0/001 is missing");
}

/// A fetcher that shows an older checkpoint of a directory log.
struct AtCheckpoint<'a>(&'a DirFetcher, Vec<u8>);

impl TileFetcher for AtCheckpoint<'_> {
    fn fetch(&self, path: &str) -> Result<Option<Vec<u8>>, FetchError> {
        if path == "checkpoint" {
            return Ok(Some(self.1.clone()));
        }
        self.0.fetch(path)
    }
}

/// A log written by another implementation (Tessera), at each of its 15 sizes, each consistent
/// with the one before.
#[test]
fn verifies_a_tessera_log() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tessera");
    let vkey = Verifier::parse(
        "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx",
    )
    .unwrap();
    let dir = DirFetcher::new(&root);
    let names = [
        "one", "two", "three", "four", "five", "six", "seven", "eit", "nain", "ten", "ileven",
        "twelf", "threeten", "fourten", "fivten",
    ];
    let mut prev: Option<Checkpoint> = None;
    for n in 1..=15u64 {
        let cp = std::fs::read(root.join(format!("checkpoint.{n}"))).unwrap();
        let mut seen = Vec::new();
        let report = verify_log(
            &AtCheckpoint(&dir, cp),
            std::slice::from_ref(&vkey),
            prev.as_ref(),
            &mut |_, e| {
                seen.push(String::from_utf8_lossy(e).to_string());
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(report.entries, n);
        assert_eq!(seen, names[..n as usize]);
        prev = Some(report.checkpoint);
    }
    verify_log(
        &dir,
        std::slice::from_ref(&vkey),
        prev.as_ref(),
        &mut no_replay(),
    )
    .unwrap();
    // truce rebuilds the same tree from the same entries.
    let mut ours = Log::open(
        MemoryStorage::new(),
        Signer::from_seed("example.com/log/testdata", SigType::Ed25519, &[1; 32]).unwrap(),
    )
    .unwrap();
    ours.append_batch(
        &names
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect::<Vec<_>>(),
    )
    .unwrap();
    assert_eq!(ours.root(), prev.unwrap().root);
    // And Tessera's partial tile of width 15 is byte-identical to truce's.
    let theirs = std::fs::read(root.join("tile/0/000.p/15")).unwrap();
    let mine = ours
        .storage()
        .read_tile(TileId {
            level: 0,
            index: 0,
            width: 15,
        })
        .unwrap()
        .unwrap();
    assert_eq!(theirs, mine);
}

/// A log written by Go's golang.org/x/mod/sumdb/tlog and note (see tests/data/SOURCE.md): its
/// three checkpoints verify in order, each consistent with the one before, and truce builds the
/// same tiles from the same entries.
#[test]
fn verifies_a_go_sumdb_tlog_log() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golang");
    let vkey = Verifier::parse(&std::fs::read_to_string(root.join("vkey")).unwrap()).unwrap();
    let dir = DirFetcher::new(&root);
    let mut prev: Option<Checkpoint> = None;
    let mut entries = Vec::new();
    for n in [1u64, 300, 2000] {
        let cp = std::fs::read(root.join(format!("checkpoint.{n}"))).unwrap();
        entries.clear();
        let report = verify_log(
            &AtCheckpoint(&dir, cp),
            std::slice::from_ref(&vkey),
            prev.as_ref(),
            &mut |_, e| {
                entries.push(e.to_vec());
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(report.entries, n);
        prev = Some(report.checkpoint);
    }
    let mut ours = Log::open(
        MemoryStorage::new(),
        Signer::from_seed("go.example/tlog-test", SigType::Ed25519, &[1; 32]).unwrap(),
    )
    .unwrap();
    ours.append_batch(&entries).unwrap();
    assert_eq!(ours.root(), prev.unwrap().root);
    for rel in current_files(&root, 2000) {
        if let Ok(id) = TileId::parse_path(&rel) {
            let theirs = std::fs::read(root.join(&rel)).unwrap();
            assert_eq!(
                ours.storage().read_tile(id).unwrap().unwrap(),
                theirs,
                "{rel}"
            );
        }
    }
    // A flipped byte in Go's files is caught too.
    check_flip(root_copy(&root).path(), &[vkey], "tile/0/003", 777);
}

/// A scratch copy of a directory tree.
fn root_copy(src: &Path) -> tempfile::TempDir {
    let dst = tempfile::tempdir().unwrap();
    for f in files_under(src) {
        let rel = f.strip_prefix(src).unwrap();
        let to = dst.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&f, &to).unwrap();
    }
    dst
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random paths, bundles and checkpoints never panic the parsers.
    #[test]
    fn random_inputs_give_errors_not_panics(s in "tile/[0-9a-z./x]{0,24}", b in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = TileId::parse_path(&s);
        let _ = EntryBundleId::parse_path(&s);
        let _ = parse_bundle(&b);
        let _ = tile::bundle_prefix(&b, 3);
        let fetcher = RandomLog(b.clone());
        let _ = verify_log(&fetcher, &[signer().verifier()], None, &mut no_replay());
    }

    /// Proofs from tiles agree with the independent ct-merkle implementation.
    #[test]
    fn tile_proofs_verify_with_ct_merkle(n in 1u64..700, i in any::<u64>(), j in any::<u64>()) {
        use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};
        use ct_merkle::mem_backed_tree::MemoryBackedTree;
        use sha2::Sha256;
        let mut log = Log::open(MemoryStorage::new(), signer()).unwrap();
        let entries: Vec<Vec<u8>> = (0..n).map(entry).collect();
        log.append_batch(&entries[..(n / 2) as usize]).unwrap();
        log.append_batch(&entries[(n / 2) as usize..]).unwrap();
        let mut theirs = MemoryBackedTree::<Sha256, Vec<u8>>::new();
        for e in &entries { theirs.push(e.clone()); }
        let root = theirs.root();
        prop_assert_eq!(&log.root()[..], &root.as_bytes()[..]);
        let idx = i % n;
        let p = log.inclusion_proof(idx, n).unwrap();
        let digests: Vec<_> = p.iter().map(|h| sha2::digest::Output::<Sha256>::from(*h)).collect();
        prop_assert!(root.verify_inclusion(&entries[idx as usize], idx, &InclusionProof::<Sha256>::from_digests(digests.iter())).is_ok());
        let old = 1 + j % n;
        let c = log.consistency_proof(old, n).unwrap();
        let digests: Vec<_> = c.iter().map(|h| sha2::digest::Output::<Sha256>::from(*h)).collect();
        let old_root = RootHash::<Sha256>::new(log.root_at(old).unwrap().into(), old);
        prop_assert!(root.verify_consistency(&old_root, &ConsistencyProof::<Sha256>::from_digests(digests.iter())).is_ok());
    }
}

/// A "log" whose every resource is the same random bytes, with a validly signed checkpoint
/// sometimes: exercises every error path of the client.
struct RandomLog(Vec<u8>);

impl TileFetcher for RandomLog {
    fn fetch(&self, path: &str) -> Result<Option<Vec<u8>>, FetchError> {
        if path == "checkpoint" {
            let size = self.0.first().copied().unwrap_or(0) as u64 * 3;
            let cp = Checkpoint {
                origin: signer().name().into(),
                size,
                root: [self.0.len() as u8; 32],
                extensions: vec![],
            };
            let note = truce_note::Note::sign(&cp.to_text(), &[&signer()], 0).unwrap();
            return Ok(Some(note.to_text().into_bytes()));
        }
        Ok(Some(self.0.clone()))
    }
}
