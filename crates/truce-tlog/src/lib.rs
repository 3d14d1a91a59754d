//! C2SP tlog-tiles: tile and entry-bundle formats and paths, the [`LogStorage`] seam, the
//! sequencer ([`Log`]), publishing to a directory, and a verifying client over a
//! [`TileFetcher`](client::TileFetcher).
//!
//! Invariant: this crate knows no SQL and no domain records; entries are opaque bytes, storage
//! is a trait.

pub mod client;
mod file;
mod log;
mod source;
mod storage;
pub mod tile;

pub use client::{
    DirFetcher, EntryCallback, FetchError, HttpFetcher, StorageFetcher, TileFetcher, VerifyError,
    VerifyReport, verify_log,
};
pub use file::FileStorage;
pub use log::{
    Log, LogError, PublishStats, latest_checkpoint, prove_consistency, prove_inclusion, publish,
    read_entry, stored_size, tree_root,
};
pub use source::{TileHashSource, TileReader, TileSourceError};
pub use storage::{
    AppendBatch, BundleData, LogStorage, MemoryStorage, StorageError, TileData, tile_prefix,
};
pub use tile::{EntryBundleId, TileError, TileId};
