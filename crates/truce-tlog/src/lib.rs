//! C2SP tlog-tiles: tile and entry-bundle formats and paths, the [`LogStorage`] seam, the
//! sequencer ([`Log`]), publishing to a directory, and a verifying client over a
//! [`TileFetcher`].
//!
//! Invariant: this crate knows no SQL and no domain records; entries are opaque bytes, storage
//! is a trait.

mod storage;
pub mod tile;

pub use storage::{
    AppendBatch, BundleData, LogStorage, MemoryStorage, StorageError, TileData, tile_prefix,
};
pub use tile::{EntryBundleId, TileError, TileId};
