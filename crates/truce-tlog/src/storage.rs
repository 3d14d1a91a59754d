//! The seam between the log and its storage: [`LogStorage`], implemented for SQLite and
//! PostgreSQL by `truce-store`, in memory by [`MemoryStorage`] and on disk, in the tlog-tiles
//! layout, by [`crate::DirStorage`].

use std::collections::HashMap;

use crate::tile::{EntryBundleId, TileId, bundle_prefix};

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The store's log size differs from the size the batch was built on (another writer, or a
    /// stale sequencer): nothing was written.
    #[error("log size conflict: the batch extends size {expected} but the store holds {actual}")]
    Conflict {
        /// Size the batch was built on.
        expected: u64,
        /// Size the store holds.
        actual: u64,
    },
    /// Stored data is inconsistent (a tile of the wrong length, an unparsable bundle...).
    #[error("storage is corrupt: {0}")]
    Corrupt(String),
    /// The backend failed (IO, SQL...).
    #[error("storage backend: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl StorageError {
    /// Wraps any backend error.
    pub fn backend<E: std::error::Error + Send + Sync + 'static>(e: E) -> Self {
        StorageError::Backend(Box::new(e))
    }
}

/// A tile as stored: its coordinates (with the width it has after the batch) and its bytes
/// (`width * 32` bytes of hashes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileData {
    /// Level, index and width.
    pub id: TileId,
    /// The concatenated hashes.
    pub data: Vec<u8>,
}

/// An entry bundle as stored: its coordinates and its bytes (entries, each preceded by a
/// 2-byte big-endian length).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleData {
    /// Index and width (number of entries).
    pub id: EntryBundleId,
    /// The length-prefixed entries.
    pub data: Vec<u8>,
}

/// Everything one sequenced batch writes. A store applies it atomically and durably: after
/// `append` returns Ok, a crash loses nothing of it; if it fails, nothing of it is visible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendBatch<'a> {
    /// Log size before the batch (the store must hold exactly this size, else `Conflict`).
    pub old_size: u64,
    /// Log size after the batch (`old_size + entries.len()`).
    pub new_size: u64,
    /// The entries `[old_size, new_size)`, for stores that index them one by one.
    pub entries: &'a [Vec<u8>],
    /// Every tile the batch completes or extends, at its new width. A wider version of a tile
    /// replaces a narrower one (a store may keep both).
    pub tiles: Vec<TileData>,
    /// Every entry bundle the batch completes or extends, at its new width.
    pub bundles: Vec<BundleData>,
    /// The signed checkpoint (C2SP signed note text) for `new_size`.
    pub checkpoint: Vec<u8>,
}

/// Storage for one log. Simple and synchronous: one sequencer appends; readers read.
pub trait LogStorage {
    /// Atomically and durably applies a batch (see [`AppendBatch`]).
    fn append(&mut self, batch: &AppendBatch<'_>) -> Result<(), StorageError>;
    /// The tile `id` with exactly `id.width` hashes. A store holding a wider version of the same
    /// `(level, index)` returns its first `id.width * 32` bytes. `None` if not stored.
    fn read_tile(&self, id: TileId) -> Result<Option<Vec<u8>>, StorageError>;
    /// The entry bundle `id` with exactly `id.width` entries (a prefix of a wider stored version:
    /// see [`bundle_prefix`]). `None` if not stored.
    fn read_entry_bundle(&self, id: EntryBundleId) -> Result<Option<Vec<u8>>, StorageError>;
    /// The latest checkpoint (signed note text), `None` for a log never appended to.
    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, StorageError>;
}

impl<T: LogStorage + ?Sized> LogStorage for Box<T> {
    fn append(&mut self, batch: &AppendBatch<'_>) -> Result<(), StorageError> {
        (**self).append(batch)
    }
    fn read_tile(&self, id: TileId) -> Result<Option<Vec<u8>>, StorageError> {
        (**self).read_tile(id)
    }
    fn read_entry_bundle(&self, id: EntryBundleId) -> Result<Option<Vec<u8>>, StorageError> {
        (**self).read_entry_bundle(id)
    }
    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, StorageError> {
        (**self).latest_checkpoint()
    }
}

/// Cuts a stored tile down to the width asked for (shared helper for stores keeping only the
/// widest version of each tile).
pub fn tile_prefix(data: &[u8], width: u16) -> Result<Vec<u8>, StorageError> {
    let n = usize::from(width) * 32;
    if !data.len().is_multiple_of(32) {
        return Err(StorageError::Corrupt(format!(
            "stored tile has {} bytes, not a multiple of 32",
            data.len()
        )));
    }
    data.get(..n).map(<[u8]>::to_vec).ok_or_else(|| {
        StorageError::Corrupt(format!(
            "stored tile has {} hashes, fewer than the {width} asked for",
            data.len() / 32
        ))
    })
}

/// Keeps the log in memory: the widest version of each tile and bundle, and the checkpoint.
#[derive(Debug, Clone, Default)]
pub struct MemoryStorage {
    size: u64,
    tiles: HashMap<(u8, u64), Vec<u8>>,
    bundles: HashMap<u64, Vec<u8>>,
    checkpoint: Option<Vec<u8>>,
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Mutable access to a stored tile's bytes (for tamper tests).
    pub fn tile_bytes_mut(&mut self, level: u8, index: u64) -> Option<&mut Vec<u8>> {
        self.tiles.get_mut(&(level, index))
    }

    /// Mutable access to a stored bundle's bytes (for tamper tests).
    pub fn bundle_bytes_mut(&mut self, index: u64) -> Option<&mut Vec<u8>> {
        self.bundles.get_mut(&index)
    }
}

impl LogStorage for MemoryStorage {
    fn append(&mut self, batch: &AppendBatch<'_>) -> Result<(), StorageError> {
        if batch.old_size != self.size {
            return Err(StorageError::Conflict {
                expected: batch.old_size,
                actual: self.size,
            });
        }
        for t in &batch.tiles {
            self.tiles.insert((t.id.level, t.id.index), t.data.clone());
        }
        for b in &batch.bundles {
            self.bundles.insert(b.id.index, b.data.clone());
        }
        self.checkpoint = Some(batch.checkpoint.clone());
        self.size = batch.new_size;
        Ok(())
    }

    fn read_tile(&self, id: TileId) -> Result<Option<Vec<u8>>, StorageError> {
        match self.tiles.get(&(id.level, id.index)) {
            None => Ok(None),
            Some(data) => tile_prefix(data, id.width).map(Some),
        }
    }

    fn read_entry_bundle(&self, id: EntryBundleId) -> Result<Option<Vec<u8>>, StorageError> {
        match self.bundles.get(&id.index) {
            None => Ok(None),
            Some(data) => bundle_prefix(data, id.width)
                .map(|d| Some(d.to_vec()))
                .map_err(|e| StorageError::Corrupt(e.to_string())),
        }
    }

    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self.checkpoint.clone())
    }
}
