//! The log's storage: truce-tlog's [`LogStorage`] on the store's tables (`log_tiles`,
//! `log_bundles`, `log_checkpoints`), inside a [`Batch`] (one transaction with the batch's
//! documents and records, behind the sequencer lock) or on the [`Store`] itself.

use truce_tlog::tile::bundle_prefix;
use truce_tlog::{AppendBatch, EntryBundleId, LogStorage, StorageError, TileId, tile_prefix};

use crate::core::{self, LogAppend, SqlBatch};
use crate::error::StoreError;
use crate::sql::Conn;
use crate::{Batch, Store};

fn backend(e: StoreError) -> StorageError {
    StorageError::backend(e)
}

/// The first `width` hashes of a stored tile; `None` when absent or narrower.
fn tile_of(stored: Option<(u16, Vec<u8>)>, id: TileId) -> Result<Option<Vec<u8>>, StorageError> {
    match stored {
        Some((w, data)) if w >= id.width => tile_prefix(&data, id.width).map(Some),
        _ => Ok(None),
    }
}

/// The first `width` entries of a stored bundle; `None` when absent or narrower.
fn bundle_of(
    stored: Option<(u16, Vec<u8>)>,
    id: EntryBundleId,
) -> Result<Option<Vec<u8>>, StorageError> {
    match stored {
        Some((w, data)) if w >= id.width => bundle_prefix(&data, id.width)
            .map(|p| Some(p.to_vec()))
            .map_err(|e| StorageError::Corrupt(format!("entry bundle {}: {e}", id.index))),
        _ => Ok(None),
    }
}

fn check_batch(b: &AppendBatch<'_>) -> Result<(), StorageError> {
    if b.new_size != b.old_size + b.entries.len() as u64 {
        return Err(StorageError::Corrupt(format!(
            "append batch from {} to {} carries {} entries",
            b.old_size,
            b.new_size,
            b.entries.len()
        )));
    }
    Ok(())
}

impl<C: Conn> SqlBatch<'_, C> {
    fn append_log(&self, b: &AppendBatch<'_>) -> Result<(), StorageError> {
        check_batch(b)?;
        let a = LogAppend {
            old_size: b.old_size,
            new_size: b.new_size,
            tiles: b
                .tiles
                .iter()
                .map(|t| (t.id.level, t.id.index, t.id.width, t.data.as_slice()))
                .collect(),
            bundles: b
                .bundles
                .iter()
                .map(|x| (x.id.index, x.id.width, x.data.as_slice()))
                .collect(),
            checkpoint: &b.checkpoint,
        };
        match self.log_append_raw(&a).map_err(backend)? {
            Ok(()) => Ok(()),
            Err(actual) => Err(StorageError::Conflict {
                expected: b.old_size,
                actual,
            }),
        }
    }
}

/// Inside a batch every log call first takes the sequencer lock, so the tiles the sequencer
/// reads are the ones its append extends.
impl<C: Conn> LogStorage for SqlBatch<'_, C> {
    fn append(&mut self, batch: &AppendBatch<'_>) -> Result<(), StorageError> {
        self.append_log(batch)
    }

    fn read_tile(&self, id: TileId) -> Result<Option<Vec<u8>>, StorageError> {
        self.lock_log().map_err(backend)?;
        let stored = core::Runner::run(self, |db| core::read_tile(db, id.level, id.index))
            .map_err(backend)?;
        tile_of(stored, id)
    }

    fn read_entry_bundle(&self, id: EntryBundleId) -> Result<Option<Vec<u8>>, StorageError> {
        self.lock_log().map_err(backend)?;
        let stored =
            core::Runner::run(self, |db| core::read_bundle(db, id.index)).map_err(backend)?;
        bundle_of(stored, id)
    }

    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, StorageError> {
        self.lock_log().map_err(backend)?;
        core::Runner::run(self, core::latest_checkpoint).map_err(backend)
    }
}

/// The store as log storage: reads outside any transaction; each `append` is its own batch
/// (author `log`). To append together with documents and records, use a [`Batch`] instead.
impl LogStorage for dyn Store + '_ {
    fn append(&mut self, batch: &AppendBatch<'_>) -> Result<(), StorageError> {
        let mut b = self.begin("log").map_err(backend)?;
        b.append(batch)?;
        b.commit().map_err(backend)
    }

    fn read_tile(&self, id: TileId) -> Result<Option<Vec<u8>>, StorageError> {
        let stored = self.tile_with_width(id.level, id.index).map_err(backend)?;
        tile_of(stored, id)
    }

    fn read_entry_bundle(&self, id: EntryBundleId) -> Result<Option<Vec<u8>>, StorageError> {
        let stored = self.entry_bundle_with_width(id.index).map_err(backend)?;
        bundle_of(stored, id)
    }

    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, StorageError> {
        self.checkpoint().map_err(backend)
    }
}

/// A batch's log, for callers holding `&mut dyn Batch` (e.g. `Log::open(BatchLog(&mut *b), ..)`).
pub struct BatchLog<'b, 'a>(pub &'b mut (dyn Batch + 'a));

impl LogStorage for BatchLog<'_, '_> {
    fn append(&mut self, batch: &AppendBatch<'_>) -> Result<(), StorageError> {
        self.0.append(batch)
    }
    fn read_tile(&self, id: TileId) -> Result<Option<Vec<u8>>, StorageError> {
        self.0.read_tile(id)
    }
    fn read_entry_bundle(&self, id: EntryBundleId) -> Result<Option<Vec<u8>>, StorageError> {
        self.0.read_entry_bundle(id)
    }
    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, StorageError> {
        self.0.latest_checkpoint()
    }
}

/// The store's log for callers holding a shared store (`Arc<dyn Store>`, `&dyn Store`).
pub struct StoreLog<'s>(pub &'s dyn Store);

impl LogStorage for StoreLog<'_> {
    fn append(&mut self, batch: &AppendBatch<'_>) -> Result<(), StorageError> {
        let mut b = self.0.begin("log").map_err(backend)?;
        b.append(batch)?;
        b.commit().map_err(backend)
    }
    fn read_tile(&self, id: TileId) -> Result<Option<Vec<u8>>, StorageError> {
        LogStorage::read_tile(self.0, id)
    }
    fn read_entry_bundle(&self, id: EntryBundleId) -> Result<Option<Vec<u8>>, StorageError> {
        LogStorage::read_entry_bundle(self.0, id)
    }
    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, StorageError> {
        LogStorage::latest_checkpoint(self.0)
    }
}
