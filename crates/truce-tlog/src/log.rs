//! The sequencer: [`Log`] appends batches of entries through a [`LogStorage`], writing the tiles
//! and bundles they complete or extend and a new signed checkpoint; and read functions over any
//! storage (entries, proofs, publishing).

use std::ops::Range;

use truce_merkle::{CompactRange, Hash, ProofGenError, empty_root, leaf_hash, root_of_hashes};
use truce_note::{Checkpoint, CheckpointError, Note, NoteError, Signer, Verifier};

use crate::source::{TileHashSource, TileSourceError};
use crate::storage::{AppendBatch, BundleData, LogStorage, StorageError, TileData};
use crate::tile::{
    EntryBundleId, TILE_HEIGHT, TILE_WIDTH, TileError, TileId, hashes_at_level, parse_bundle,
    parse_tile, push_bundle_entry,
};

/// A log operation's failure.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The storage failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A checkpoint note failed to parse or verify.
    #[error("checkpoint note: {0}")]
    Note(#[from] NoteError),
    /// A checkpoint body failed to parse.
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    /// A tile or bundle is malformed.
    #[error(transparent)]
    Tile(#[from] TileError),
    /// An entry that cannot be logged.
    #[error("entry {index} of the batch is {len} bytes, more than the 65535-byte limit")]
    EntryTooLarge {
        /// Position in the batch.
        index: usize,
        /// Its length.
        len: usize,
    },
    /// An index or size outside the log.
    #[error("{what} {value} is beyond the log size {size}")]
    OutOfRange {
        /// What was asked.
        what: &'static str,
        /// The value.
        value: u64,
        /// The log size.
        size: u64,
    },
    /// Proof generation failed.
    #[error("proof: {0}")]
    Proof(#[from] ProofGenError<TileSourceError>),
    /// Stored data contradicts the checkpoint.
    #[error("log storage is inconsistent: {0}")]
    Inconsistent(String),
    /// Writing a published file failed.
    #[error("writing {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The IO error.
        #[source]
        source: std::io::Error,
    },
}

/// The latest checkpoint stored, verified with `verifier` (None for an empty store).
pub fn latest_checkpoint<S: LogStorage + ?Sized>(
    storage: &S,
    verifier: &Verifier,
) -> Result<Option<(Checkpoint, Vec<u8>)>, LogError> {
    let Some(bytes) = storage.latest_checkpoint()? else {
        return Ok(None);
    };
    let v = Note::open(&bytes, std::slice::from_ref(verifier))?;
    let cp = Checkpoint::parse(&v.note.text)?;
    Ok(Some((cp, bytes)))
}

/// Size recorded in the latest stored checkpoint, without verifying its signature (0 if none).
pub fn stored_size<S: LogStorage + ?Sized>(storage: &S) -> Result<u64, LogError> {
    let Some(bytes) = storage.latest_checkpoint()? else {
        return Ok(0);
    };
    let note = Note::parse(&bytes)?;
    Ok(Checkpoint::parse(&note.text)?.size)
}

fn reader<S: LogStorage + ?Sized>(
    storage: &S,
) -> impl Fn(TileId) -> Result<Option<Vec<u8>>, String> + '_ {
    move |id| storage.read_tile(id).map_err(|e| e.to_string())
}

/// Entry `n` of the tree of `size` leaves.
pub fn read_entry<S: LogStorage + ?Sized>(
    storage: &S,
    n: u64,
    size: u64,
) -> Result<Vec<u8>, LogError> {
    let id = EntryBundleId::in_tree(n / TILE_WIDTH, size)
        .filter(|_| n < size)
        .ok_or(LogError::OutOfRange {
            what: "entry index",
            value: n,
            size,
        })?;
    let data = storage
        .read_entry_bundle(id)?
        .ok_or_else(|| LogError::Inconsistent(format!("entry bundle {id} is missing")))?;
    let entries = parse_bundle(&data)?;
    entries
        .get((n % TILE_WIDTH) as usize)
        .map(|e| e.to_vec())
        .ok_or_else(|| LogError::Inconsistent(format!("entry bundle {id} is short")))
}

/// Inclusion proof of entry `n` in the tree of `size` leaves, from stored tiles.
pub fn prove_inclusion<S: LogStorage + ?Sized>(
    storage: &S,
    n: u64,
    size: u64,
) -> Result<Vec<Hash>, LogError> {
    let src = TileHashSource::new(reader(storage), size);
    Ok(truce_merkle::inclusion_proof(&src, n, size)?)
}

/// Consistency proof from size `a` to size `b`, from stored tiles.
pub fn prove_consistency<S: LogStorage + ?Sized>(
    storage: &S,
    a: u64,
    b: u64,
) -> Result<Vec<Hash>, LogError> {
    let src = TileHashSource::new(reader(storage), b);
    Ok(truce_merkle::consistency_proof(&src, a, b)?)
}

/// Root of the tree of `size` leaves, from stored tiles.
pub fn tree_root<S: LogStorage + ?Sized>(storage: &S, size: u64) -> Result<Hash, LogError> {
    let src = TileHashSource::new(reader(storage), size);
    Ok(truce_merkle::range_root(&src, 0, size)?)
}

/// What [`publish`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishStats {
    /// Tree size published.
    pub size: u64,
    /// Tile files written.
    pub tiles_written: u64,
    /// Entry bundle files written.
    pub bundles_written: u64,
    /// Full tiles and bundles already present (immutable, skipped).
    pub skipped: u64,
}

fn write_atomic(path: &std::path::Path, data: &[u8]) -> Result<(), LogError> {
    let io = |source| LogError::Io {
        path: path.display().to_string(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, data).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)?;
    Ok(())
}

/// Writes the log as static files in the tlog-tiles layout under `out`: `checkpoint`,
/// `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, for the latest checkpoint. Full tiles
/// and bundles already present are kept (they are immutable); the checkpoint is written last.
pub fn publish<S: LogStorage + ?Sized>(
    storage: &S,
    out: &std::path::Path,
) -> Result<PublishStats, LogError> {
    let Some(cp_bytes) = storage.latest_checkpoint()? else {
        return Err(LogError::Inconsistent(
            "the log has no checkpoint yet: nothing to publish".into(),
        ));
    };
    let note = Note::parse(&cp_bytes)?;
    let cp = Checkpoint::parse(&note.text)?;
    let size = cp.size;
    let mut stats = PublishStats {
        size,
        ..PublishStats::default()
    };
    let mut level: u8 = 0;
    while hashes_at_level(level, size) > 0 {
        let n = hashes_at_level(level, size);
        for index in 0..n.div_ceil(TILE_WIDTH) {
            let Some(id) = TileId::in_tree(level, index, size) else {
                break;
            };
            let path = out.join(id.path());
            if id.is_full() && path.metadata().is_ok_and(|m| m.len() == 8192) {
                stats.skipped += 1;
            } else {
                let data = storage
                    .read_tile(id)?
                    .ok_or_else(|| LogError::Inconsistent(format!("tile {id} is missing")))?;
                parse_tile(&id, &data)?;
                write_atomic(&path, &data)?;
                stats.tiles_written += 1;
            }
            if level == 0 {
                let bid = EntryBundleId {
                    index,
                    width: id.width,
                };
                let bpath = out.join(bid.path());
                if id.is_full() && bpath.exists() {
                    stats.skipped += 1;
                } else {
                    let data = storage.read_entry_bundle(bid)?.ok_or_else(|| {
                        LogError::Inconsistent(format!("entry bundle {bid} is missing"))
                    })?;
                    write_atomic(&bpath, &data)?;
                    stats.bundles_written += 1;
                }
            }
        }
        level += 1;
    }
    write_atomic(&out.join("checkpoint"), &cp_bytes)?;
    Ok(stats)
}

/// The single sequencer of a log: appends batches and signs checkpoints.
pub struct Log<S: LogStorage> {
    storage: S,
    signer: Signer,
    size: u64,
    range: CompactRange,
    edges: Vec<Vec<Hash>>,
    bundle: Vec<u8>,
    checkpoint: Vec<u8>,
}

impl<S: LogStorage> std::fmt::Debug for Log<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Log({}, size {})", self.signer.name(), self.size)
    }
}

impl<S: LogStorage> Log<S> {
    /// Opens the log kept in `storage`, signed by `signer` (whose name is the origin). Checks
    /// the stored checkpoint's signature and that the stored right-edge tiles rebuild its root.
    pub fn open(storage: S, signer: Signer) -> Result<Self, LogError> {
        let verifier = signer.verifier();
        let mut log = Log {
            storage,
            signer,
            size: 0,
            range: CompactRange::new(),
            edges: Vec::new(),
            bundle: Vec::new(),
            checkpoint: Vec::new(),
        };
        match latest_checkpoint(&log.storage, &verifier)? {
            None => {
                log.checkpoint = log.sign(0, &empty_root())?;
            }
            Some((cp, bytes)) => {
                if cp.origin != log.signer.name() {
                    return Err(LogError::Inconsistent(format!(
                        "stored checkpoint has origin {:?}, the key is named {:?}",
                        cp.origin,
                        log.signer.name()
                    )));
                }
                log.size = cp.size;
                log.checkpoint = bytes;
                log.load_edges()?;
                let root = log.range.root();
                if root != cp.root {
                    return Err(LogError::Inconsistent(format!(
                        "stored tiles give root {} but the checkpoint says {}",
                        truce_merkle::hex(&root),
                        truce_merkle::hex(&cp.root)
                    )));
                }
            }
        }
        Ok(log)
    }

    fn load_edges(&mut self) -> Result<(), LogError> {
        let size = self.size;
        let mut level: u8 = 0;
        let mut edges = Vec::new();
        while hashes_at_level(level, size) > 0 {
            let n = hashes_at_level(level, size);
            let w = n % TILE_WIDTH;
            let mut edge = Vec::new();
            if w > 0 {
                let id = TileId {
                    level,
                    index: n / TILE_WIDTH,
                    width: w as u16,
                };
                let data = self
                    .storage
                    .read_tile(id)?
                    .ok_or_else(|| LogError::Inconsistent(format!("tile {id} is missing")))?;
                edge = parse_tile(&id, &data)?;
            }
            edges.push(edge);
            level += 1;
        }
        let mut range = CompactRange::new();
        for (level, edge) in edges.iter().enumerate().rev() {
            for h in edge {
                range
                    .push_subtree(level as u32 * TILE_HEIGHT, *h)
                    .map_err(|e| LogError::Inconsistent(e.to_string()))?;
            }
        }
        if range.size() != size {
            return Err(LogError::Inconsistent(format!(
                "edge tiles cover {} entries, the checkpoint says {size}",
                range.size()
            )));
        }
        let w = size % TILE_WIDTH;
        if w > 0 {
            let id = EntryBundleId {
                index: size / TILE_WIDTH,
                width: w as u16,
            };
            self.bundle = self
                .storage
                .read_entry_bundle(id)?
                .ok_or_else(|| LogError::Inconsistent(format!("entry bundle {id} is missing")))?;
        }
        self.edges = edges;
        self.range = range;
        Ok(())
    }

    fn sign(&self, size: u64, root: &Hash) -> Result<Vec<u8>, LogError> {
        let cp = Checkpoint {
            origin: self.signer.name().to_string(),
            size,
            root: *root,
            extensions: Vec::new(),
        };
        Ok(Note::sign(&cp.to_text(), &[&self.signer], 0)?
            .to_text()
            .into_bytes())
    }

    /// Appends a batch atomically: returns the indices given to the entries. On error nothing
    /// changes (in memory or in storage).
    pub fn append_batch(&mut self, entries: &[Vec<u8>]) -> Result<Range<u64>, LogError> {
        let old = self.size;
        if entries.is_empty() {
            return Ok(old..old);
        }
        let mut range = self.range.clone();
        let mut edges = self.edges.clone();
        let mut bundle = self.bundle.clone();
        let mut tiles = Vec::new();
        let mut bundles = Vec::new();
        let mut size = old;
        for (i, e) in entries.iter().enumerate() {
            push_bundle_entry(&mut bundle, e).map_err(|_| LogError::EntryTooLarge {
                index: i,
                len: e.len(),
            })?;
            let h = leaf_hash(e);
            range.push(h);
            size += 1;
            let mut level = 0usize;
            let mut hash = h;
            loop {
                if edges.len() == level {
                    edges.push(Vec::with_capacity(TILE_WIDTH as usize));
                }
                edges[level].push(hash);
                if edges[level].len() < TILE_WIDTH as usize {
                    break;
                }
                let full = std::mem::take(&mut edges[level]);
                hash = root_of_hashes(&full);
                let lvl = level as u8;
                tiles.push(TileData {
                    id: TileId {
                        level: lvl,
                        index: hashes_at_level(lvl, size) / TILE_WIDTH - 1,
                        width: TILE_WIDTH as u16,
                    },
                    data: full.concat(),
                });
                level += 1;
            }
            if size.is_multiple_of(TILE_WIDTH) {
                bundles.push(BundleData {
                    id: EntryBundleId {
                        index: size / TILE_WIDTH - 1,
                        width: TILE_WIDTH as u16,
                    },
                    data: std::mem::take(&mut bundle),
                });
            }
        }
        for (level, edge) in edges.iter().enumerate() {
            let lvl = level as u8;
            if !edge.is_empty() && hashes_at_level(lvl, old) != hashes_at_level(lvl, size) {
                tiles.push(TileData {
                    id: TileId {
                        level: lvl,
                        index: hashes_at_level(lvl, size) / TILE_WIDTH,
                        width: edge.len() as u16,
                    },
                    data: edge.concat(),
                });
            }
        }
        if !bundle.is_empty() {
            bundles.push(BundleData {
                id: EntryBundleId {
                    index: size / TILE_WIDTH,
                    width: (size % TILE_WIDTH) as u16,
                },
                data: bundle.clone(),
            });
        }
        let root = range.root();
        let checkpoint = self.sign(size, &root)?;
        self.storage.append(&AppendBatch {
            old_size: old,
            new_size: size,
            entries,
            tiles,
            bundles,
            checkpoint: checkpoint.clone(),
        })?;
        self.size = size;
        self.range = range;
        self.edges = edges;
        self.bundle = bundle;
        self.checkpoint = checkpoint;
        Ok(old..size)
    }

    /// Number of entries.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Current root.
    pub fn root(&self) -> Hash {
        self.range.root()
    }

    /// The latest signed checkpoint (a size-0 checkpoint for an empty log).
    pub fn checkpoint(&self) -> &[u8] {
        &self.checkpoint
    }

    /// The verifier key of the log's signer.
    pub fn verifier(&self) -> Verifier {
        self.signer.verifier()
    }

    /// Entry `n`.
    pub fn entry(&self, n: u64) -> Result<Vec<u8>, LogError> {
        read_entry(&self.storage, n, self.size)
    }

    fn check_size(&self, size: u64) -> Result<(), LogError> {
        if size > self.size {
            return Err(LogError::OutOfRange {
                what: "tree size",
                value: size,
                size: self.size,
            });
        }
        Ok(())
    }

    /// Inclusion proof of entry `n` in the tree of `size` leaves.
    pub fn inclusion_proof(&self, n: u64, size: u64) -> Result<Vec<Hash>, LogError> {
        self.check_size(size)?;
        prove_inclusion(&self.storage, n, size)
    }

    /// Consistency proof from size `a` to size `b`.
    pub fn consistency_proof(&self, a: u64, b: u64) -> Result<Vec<Hash>, LogError> {
        self.check_size(b)?;
        prove_consistency(&self.storage, a, b)
    }

    /// Root of the tree of `size` leaves.
    pub fn root_at(&self, size: u64) -> Result<Hash, LogError> {
        self.check_size(size)?;
        tree_root(&self.storage, size)
    }

    /// Publishes the log as tlog-tiles files under `out` (see [`publish`]).
    pub fn publish(&self, out: &std::path::Path) -> Result<PublishStats, LogError> {
        publish(&self.storage, out)
    }

    /// The storage.
    pub fn storage(&self) -> &S {
        &self.storage
    }

    /// Mutable storage access (tests tamper with it).
    pub fn storage_mut(&mut self) -> &mut S {
        &mut self.storage
    }

    /// Gives the storage back.
    pub fn into_storage(self) -> S {
        self.storage
    }
}
