//! A verifying client for any C2SP tlog-tiles log, over a [`TileFetcher`] (a directory, an
//! `http://` URL, or a store). It checks the checkpoint's signature, every entry bundle and tile
//! against the root, and consistency with the last checkpoint it saw; it reports the first bad
//! tile or entry.

use std::path::PathBuf;

use truce_merkle::{CompactRange, Hash, hex, leaf_hash, root_of_hashes};
use truce_note::{Checkpoint, Note, Verifier};

use crate::storage::LogStorage;
use crate::tile::{EntryBundleId, TILE_WIDTH, TileId, hashes_at_level, parse_bundle, parse_tile};

/// Called with each entry `(index, bytes)` during verification; an `Err` rejects the log.
pub type EntryCallback<'a> = dyn FnMut(u64, &[u8]) -> Result<(), String> + 'a;

/// A fetch failure (not a missing file: that is `Ok(None)`).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FetchError(pub String);

/// Fetches a log's static resources by path relative to its prefix (`checkpoint`,
/// `tile/0/000`, `tile/entries/000.p/7`...).
pub trait TileFetcher {
    /// The resource's bytes, or `None` if it does not exist.
    fn fetch(&self, path: &str) -> Result<Option<Vec<u8>>, FetchError>;
}

/// Reads a log published as files in a directory.
#[derive(Debug, Clone)]
pub struct DirFetcher {
    root: PathBuf,
}

impl DirFetcher {
    /// A fetcher for the directory `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirFetcher { root: root.into() }
    }
}

impl TileFetcher for DirFetcher {
    fn fetch(&self, path: &str) -> Result<Option<Vec<u8>>, FetchError> {
        let p = self.root.join(path);
        match std::fs::read(&p) {
            Ok(d) => Ok(Some(d)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(FetchError(format!("{}: {e}", p.display()))),
        }
    }
}

/// Reads a log over plain HTTP (a small blocking client). 404 means absent.
#[derive(Debug, Clone)]
pub struct HttpFetcher {
    base: String,
    agent: ureq::Agent,
}

impl HttpFetcher {
    /// A fetcher for the URL prefix `base` (`http://host:port/prefix`).
    pub fn new(base: &str) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(60)))
            .build();
        HttpFetcher {
            base: base.trim_end_matches('/').to_string(),
            agent: config.into(),
        }
    }
}

impl TileFetcher for HttpFetcher {
    fn fetch(&self, path: &str) -> Result<Option<Vec<u8>>, FetchError> {
        let url = format!("{}/{path}", self.base);
        let mut resp = self
            .agent
            .get(&url)
            .call()
            .map_err(|e| FetchError(format!("GET {url}: {e}")))?;
        let status = resp.status().as_u16();
        if status == 404 {
            return Ok(None);
        }
        if status != 200 {
            return Err(FetchError(format!("GET {url}: HTTP status {status}")));
        }
        resp.body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .map(Some)
            .map_err(|e| FetchError(format!("GET {url}: reading body: {e}")))
    }
}

/// Serves a store's log through the same paths (for `truce verify --data`).
#[derive(Debug)]
pub struct StorageFetcher<'a, S: ?Sized>(pub &'a S);

impl<S: LogStorage + ?Sized> TileFetcher for StorageFetcher<'_, S> {
    fn fetch(&self, path: &str) -> Result<Option<Vec<u8>>, FetchError> {
        let err = |e: crate::StorageError| FetchError(format!("{path}: {e}"));
        if path == "checkpoint" {
            return self.0.latest_checkpoint().map_err(err);
        }
        if let Ok(id) = EntryBundleId::parse_path(path) {
            return self.0.read_entry_bundle(id).map_err(err);
        }
        let id = TileId::parse_path(path).map_err(|e| FetchError(e.to_string()))?;
        self.0.read_tile(id).map_err(err)
    }
}

/// Why a log does not verify. Each names the resource (and entry) at fault.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// Fetching failed.
    #[error("fetching {path}: {message}")]
    Fetch {
        /// Resource.
        path: String,
        /// Why.
        message: String,
    },
    /// A resource the checkpoint requires is absent.
    #[error("{0} is missing")]
    Missing(String),
    /// The checkpoint's signature or format is bad.
    #[error("checkpoint: {0}")]
    Checkpoint(String),
    /// The log shrank since the last checkpoint seen.
    #[error("rollback: the log now has {new} entries, fewer than the {old} seen before")]
    Rollback {
        /// Size seen before.
        old: u64,
        /// Size now.
        new: u64,
    },
    /// The log's history differs from the one seen before (a fork).
    #[error(
        "inconsistent with the last checkpoint seen: the tree of size {size} had root {old_root}, its entries now give {new_root}"
    )]
    Inconsistent {
        /// Size seen before.
        size: u64,
        /// Root seen before (hex).
        old_root: String,
        /// Root recomputed now (hex).
        new_root: String,
    },
    /// Another log's checkpoint.
    #[error("checkpoint origin {new:?} differs from the origin {old:?} seen before")]
    OriginChanged {
        /// Origin seen before.
        old: String,
        /// Origin now.
        new: String,
    },
    /// A malformed or wrong tile.
    #[error("bad tile {path}: {reason}")]
    BadTile {
        /// Tile path.
        path: String,
        /// Why.
        reason: String,
    },
    /// A malformed entry bundle.
    #[error("bad entry bundle {path}: {reason}")]
    BadBundle {
        /// Bundle path.
        path: String,
        /// Why.
        reason: String,
    },
    /// An entry that does not belong to the signed tree.
    #[error("bad entry {index} (in {path}): {reason}")]
    BadEntry {
        /// Entry index.
        index: u64,
        /// Bundle path.
        path: String,
        /// Why.
        reason: String,
    },
    /// Entries and tiles agree but do not give the signed root.
    #[error("the entries give root {computed}, the signed checkpoint says {expected}")]
    RootMismatch {
        /// Root recomputed (hex).
        computed: String,
        /// Root signed (hex).
        expected: String,
    },
    /// The entry callback (a replay) rejected an entry.
    #[error("entry {index}: {reason}")]
    Replay {
        /// Entry index.
        index: u64,
        /// Why.
        reason: String,
    },
}

/// What a successful verification saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// The verified checkpoint.
    pub checkpoint: Checkpoint,
    /// Its signed note bytes.
    pub checkpoint_note: Vec<u8>,
    /// Entries hashed.
    pub entries: u64,
    /// Tiles checked.
    pub tiles: u64,
    /// Entry bundles checked.
    pub bundles: u64,
    /// Size of the previous checkpoint checked for consistency, if any.
    pub consistent_with: Option<u64>,
}

fn fetch_required(f: &dyn TileFetcher, path: &str) -> Result<Vec<u8>, VerifyError> {
    f.fetch(path)
        .map_err(|e| VerifyError::Fetch {
            path: path.to_string(),
            message: e.0,
        })?
        .ok_or_else(|| VerifyError::Missing(path.to_string()))
}

/// A first mismatch between a level's stored hashes and the hashes recomputed from below.
struct Mismatch {
    level: u8,
    index: u64,
    tile: String,
    bundle: String,
    pos: usize,
}

struct Levels<'a> {
    fetcher: &'a dyn TileFetcher,
    size: u64,
    pending: Vec<Vec<Hash>>,
    next_index: Vec<u64>,
    tiles: u64,
    first_mismatch: Option<Mismatch>,
}

impl Levels<'_> {
    /// Checks the stored tile at `level` against `computed`, then feeds its root up if full.
    fn check_tile(&mut self, level: u8, index: u64, computed: &[Hash]) -> Result<(), VerifyError> {
        let Some(id) = TileId::in_tree(level, index, self.size) else {
            return Ok(());
        };
        let path = id.path();
        let data = fetch_required(self.fetcher, &path)?;
        let stored = parse_tile(&id, &data).map_err(|e| VerifyError::BadTile {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        self.tiles += 1;
        if let Some(pos) = stored.iter().zip(computed).position(|(a, b)| a != b)
            && self.first_mismatch.is_none()
        {
            self.first_mismatch = Some(Mismatch {
                level,
                index: index * TILE_WIDTH + pos as u64,
                tile: path,
                bundle: EntryBundleId {
                    index,
                    width: id.width,
                }
                .path(),
                pos,
            });
        }
        if id.is_full() {
            self.push(level + 1, root_of_hashes(computed))?;
        }
        Ok(())
    }

    fn push(&mut self, level: u8, h: Hash) -> Result<(), VerifyError> {
        let l = usize::from(level);
        while self.pending.len() <= l {
            self.pending.push(Vec::new());
            self.next_index.push(0);
        }
        self.pending[l].push(h);
        if self.pending[l].len() == TILE_WIDTH as usize {
            let hashes = std::mem::take(&mut self.pending[l]);
            let index = self.next_index[l];
            self.next_index[l] += 1;
            self.check_tile(level, index, &hashes)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), VerifyError> {
        let mut level: u8 = 1;
        while hashes_at_level(level, self.size) > 0 {
            let l = usize::from(level);
            if l < self.pending.len() && !self.pending[l].is_empty() {
                let hashes = std::mem::take(&mut self.pending[l]);
                let index = self.next_index[l];
                self.check_tile(level, index, &hashes)?;
            }
            level += 1;
        }
        Ok(())
    }
}

/// Verifies a whole tlog-tiles log: the checkpoint must carry a valid signature by one of
/// `verifiers`; every entry bundle and tile of the tree is fetched and recomputed; the root must
/// match; if `previous` (the last checkpoint seen) is given, the tree must extend it. Each entry
/// is passed to `on_entry` in order (a replay may reject it).
pub fn verify_log(
    fetcher: &dyn TileFetcher,
    verifiers: &[Verifier],
    previous: Option<&Checkpoint>,
    on_entry: &mut EntryCallback<'_>,
) -> Result<VerifyReport, VerifyError> {
    let note_bytes = fetch_required(fetcher, "checkpoint")?;
    let note =
        Note::open(&note_bytes, verifiers).map_err(|e| VerifyError::Checkpoint(e.to_string()))?;
    let cp =
        Checkpoint::parse(&note.note.text).map_err(|e| VerifyError::Checkpoint(e.to_string()))?;
    let size = cp.size;
    if let Some(prev) = previous {
        if prev.origin != cp.origin {
            return Err(VerifyError::OriginChanged {
                old: prev.origin.clone(),
                new: cp.origin.clone(),
            });
        }
        if prev.size > size {
            return Err(VerifyError::Rollback {
                old: prev.size,
                new: size,
            });
        }
    }
    let mut range = CompactRange::new();
    let mut levels = Levels {
        fetcher,
        size,
        pending: Vec::new(),
        next_index: Vec::new(),
        tiles: 0,
        first_mismatch: None,
    };
    let mut prev_checked = previous.filter(|p| p.size == 0).map(|p| p.size);
    if let Some(p) = previous.filter(|p| p.size == 0)
        && p.root != truce_merkle::empty_root()
    {
        return Err(VerifyError::Inconsistent {
            size: 0,
            old_root: hex(&p.root),
            new_root: hex(&truce_merkle::empty_root()),
        });
    }
    let mut bundles = 0u64;
    let mut replay_error: Option<VerifyError> = None;
    for n in 0..size.div_ceil(TILE_WIDTH) {
        let Some(bid) = EntryBundleId::in_tree(n, size) else {
            break;
        };
        let bpath = bid.path();
        let data = fetch_required(fetcher, &bpath)?;
        let entries = parse_bundle(&data).map_err(|e| VerifyError::BadBundle {
            path: bpath.clone(),
            reason: e.to_string().replace("entry bundle bundle: ", ""),
        })?;
        if entries.len() != usize::from(bid.width) {
            return Err(VerifyError::BadBundle {
                path: bpath,
                reason: format!(
                    "holds {} entries, the checkpoint requires {}",
                    entries.len(),
                    bid.width
                ),
            });
        }
        bundles += 1;
        let mut hashes = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let index = n * TILE_WIDTH + i as u64;
            let h = leaf_hash(e);
            hashes.push(h);
            range.push(h);
            if replay_error.is_none()
                && let Err(reason) = on_entry(index, e)
            {
                replay_error = Some(VerifyError::Replay { index, reason });
            }
            if let Some(p) = previous
                && p.size == range.size()
            {
                let root = range.root();
                if root != p.root {
                    return Err(VerifyError::Inconsistent {
                        size: p.size,
                        old_root: hex(&p.root),
                        new_root: hex(&root),
                    });
                }
                prev_checked = Some(p.size);
            }
        }
        levels.check_tile(0, n, &hashes)?;
    }
    levels.finish()?;
    let root = range.root();
    if let Some(m) = levels.first_mismatch {
        return Err(if root == cp.root {
            VerifyError::BadTile {
                path: m.tile,
                reason: format!(
                    "hash {} does not match the hash recomputed from the entries",
                    m.pos
                ),
            }
        } else if m.level == 0 {
            VerifyError::BadEntry {
                index: m.index,
                path: m.bundle,
                reason: format!(
                    "does not hash to leaf {} of {}, and the entries do not give the signed root",
                    m.pos, m.tile
                ),
            }
        } else {
            VerifyError::BadTile {
                path: m.tile,
                reason: format!(
                    "hash {} does not match the tiles below, and the entries do not give the signed root",
                    m.pos
                ),
            }
        });
    }
    if root != cp.root {
        return Err(VerifyError::RootMismatch {
            computed: hex(&root),
            expected: hex(&cp.root),
        });
    }
    if let Some(e) = replay_error {
        return Err(e);
    }
    Ok(VerifyReport {
        checkpoint: cp,
        checkpoint_note: note_bytes,
        entries: size,
        tiles: levels.tiles,
        bundles,
        consistent_with: prev_checked,
    })
}
