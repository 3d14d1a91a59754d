//! Hashes of complete subtrees read from tiles: a [`HashSource`] over any tile reader, so proofs
//! come from stored tiles in O(log n) tile reads.

use std::cell::RefCell;
use std::collections::HashMap;

use truce_merkle::{Hash, HashSource, root_of_hashes};

use crate::tile::{TILE_HEIGHT, TILE_WIDTH, TileId, parse_tile};

/// Why a subtree hash could not be read from tiles.
#[derive(Debug, thiserror::Error)]
pub enum TileSourceError {
    /// The tile is absent.
    #[error("tile {0} is missing")]
    Missing(String),
    /// The tile is malformed.
    #[error(transparent)]
    Tile(#[from] crate::tile::TileError),
    /// The reader failed.
    #[error("reading tile {path}: {message}")]
    Read {
        /// Tile path.
        path: String,
        /// The reader's error.
        message: String,
    },
    /// A node outside the tree.
    #[error("node at level {level}, index {index} is outside a tree of size {size}")]
    OutOfTree {
        /// Binary level.
        level: u32,
        /// Index at that level.
        index: u64,
        /// Tree size.
        size: u64,
    },
}

/// Reads tiles (at the width asked for, or a wider version's prefix).
pub trait TileReader {
    /// The tile's bytes, or `None` if absent.
    fn read(&self, id: TileId) -> Result<Option<Vec<u8>>, String>;
}

impl<F: Fn(TileId) -> Result<Option<Vec<u8>>, String>> TileReader for F {
    fn read(&self, id: TileId) -> Result<Option<Vec<u8>>, String> {
        self(id)
    }
}

/// A [`HashSource`] over the tiles of a tree of `size` leaves, caching the tiles it reads.
pub struct TileHashSource<R> {
    reader: R,
    size: u64,
    cache: RefCell<HashMap<(u8, u64), Vec<Hash>>>,
}

impl<R: TileReader> TileHashSource<R> {
    /// A source for the tree of `size` leaves.
    pub fn new(reader: R, size: u64) -> Self {
        TileHashSource {
            reader,
            size,
            cache: RefCell::new(HashMap::new()),
        }
    }

    fn tile_hashes(&self, level: u8, index: u64, need: u16) -> Result<Vec<Hash>, TileSourceError> {
        if let Some(h) = self.cache.borrow().get(&(level, index))
            && h.len() >= usize::from(need)
        {
            return Ok(h.clone());
        }
        // Read the tile as wide as the tree makes it, so one read serves every node in it.
        let id = TileId::in_tree(level, index, self.size).ok_or_else(|| {
            TileSourceError::Missing(
                TileId {
                    level,
                    index,
                    width: need,
                }
                .path(),
            )
        })?;
        let data = self
            .reader
            .read(id)
            .map_err(|message| TileSourceError::Read {
                path: id.path(),
                message,
            })?
            .ok_or_else(|| TileSourceError::Missing(id.path()))?;
        let hashes = parse_tile(&id, &data)?;
        self.cache
            .borrow_mut()
            .insert((level, index), hashes.clone());
        Ok(hashes)
    }
}

impl<R: TileReader> HashSource for TileHashSource<R> {
    type Error = TileSourceError;

    fn node(&self, level: u32, index: u64) -> Result<Hash, TileSourceError> {
        let out = || TileSourceError::OutOfTree {
            level,
            index,
            size: self.size,
        };
        let end = (u128::from(index) + 1) << level;
        if end > u128::from(self.size) {
            return Err(out());
        }
        let tile_level = level / TILE_HEIGHT;
        let sub = level % TILE_HEIGHT;
        let first = index << sub; // index of the first hash at the tile level
        let tile_index = first / TILE_WIDTH;
        let offset = (first % TILE_WIDTH) as usize;
        let count = 1usize << sub;
        let need = (offset + count) as u16;
        let tile_level = u8::try_from(tile_level).map_err(|_| out())?;
        let hashes = self.tile_hashes(tile_level, tile_index, need)?;
        let slice = hashes.get(offset..offset + count).ok_or_else(out)?;
        Ok(if count == 1 {
            slice[0]
        } else {
            root_of_hashes(slice)
        })
    }
}
