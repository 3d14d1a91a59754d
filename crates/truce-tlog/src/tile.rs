//! tlog-tiles coordinates, paths and byte formats: tiles of height 8 (256 hashes), partial
//! tiles `.p/W`, entry bundles of big-endian u16 length-prefixed entries.

use std::fmt;

use truce_merkle::Hash;

/// Tile height: a full tile holds `2^8 = 256` hashes.
pub const TILE_HEIGHT: u32 = 8;
/// Hashes in a full tile (and entries in a full bundle).
pub const TILE_WIDTH: u64 = 256;
/// Largest entry a bundle can hold (2-byte length prefix).
pub const MAX_ENTRY_LEN: usize = u16::MAX as usize;

/// A tile: level `L` (its hashes are complete subtrees of `256^L` leaves), index `N`, and width
/// `W` in `1..=256` (256 is a full tile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    /// Tile level (0..=63).
    pub level: u8,
    /// Index within the level.
    pub index: u64,
    /// Number of hashes (1..=256).
    pub width: u16,
}

/// An entry bundle: index `N` and width `W` in `1..=256`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryBundleId {
    /// Bundle index (entries `[256 N, 256 N + W)`).
    pub index: u64,
    /// Number of entries (1..=256).
    pub width: u16,
}

/// A malformed tile path, tile or bundle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TileError {
    /// A path that is not a tlog-tiles tile or bundle path.
    #[error("bad tile path {path:?}: {reason}")]
    BadPath {
        /// The path given.
        path: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// Tile bytes of the wrong length.
    #[error("tile {path} has {got} bytes, expected {expected}")]
    TileLength {
        /// Tile path.
        path: String,
        /// Expected length.
        expected: usize,
        /// Length found.
        got: usize,
    },
    /// A bundle whose length prefixes do not add up.
    #[error("entry bundle {path}: {reason}")]
    BadBundle {
        /// Bundle path (or "bundle" if unknown).
        path: String,
        /// What is wrong.
        reason: String,
    },
}

fn encode_index(mut n: u64, out: &mut String) {
    let mut groups = Vec::new();
    loop {
        groups.push(n % 1000);
        n /= 1000;
        if n == 0 {
            break;
        }
    }
    for (i, g) in groups.iter().rev().enumerate() {
        if i + 1 < groups.len() {
            out.push_str(&format!("x{g:03}/"));
        } else {
            out.push_str(&format!("{g:03}"));
        }
    }
}

fn width_suffix(width: u16, out: &mut String) {
    if u64::from(width) < TILE_WIDTH {
        out.push_str(&format!(".p/{width}"));
    }
}

impl TileId {
    /// The tile at `(level, index)` as it is in a tree of `size` leaves: full, partial, or
    /// `None` if the tree does not reach it.
    pub fn in_tree(level: u8, index: u64, size: u64) -> Option<TileId> {
        let hashes = hashes_at_level(level, size);
        let start = index.checked_mul(TILE_WIDTH)?;
        if hashes <= start {
            return None;
        }
        let width = (hashes - start).min(TILE_WIDTH) as u16;
        Some(TileId {
            level,
            index,
            width,
        })
    }

    /// Whether the tile holds 256 hashes.
    pub fn is_full(&self) -> bool {
        u64::from(self.width) == TILE_WIDTH
    }

    /// Number of bytes of the tile.
    pub fn byte_len(&self) -> usize {
        usize::from(self.width) * 32
    }

    /// The path under the log prefix: `tile/<L>/<N>[.p/<W>]`.
    pub fn path(&self) -> String {
        let mut s = format!("tile/{}/", self.level);
        encode_index(self.index, &mut s);
        width_suffix(self.width, &mut s);
        s
    }

    /// Parses a path `tile/<L>/<N>[.p/<W>]`.
    pub fn parse_path(path: &str) -> Result<TileId, TileError> {
        let bad = |reason| TileError::BadPath {
            path: path.to_string(),
            reason,
        };
        let rest = path
            .strip_prefix("tile/")
            .ok_or(bad("does not start with tile/"))?;
        let (level, rest) = rest.split_once('/').ok_or(bad("missing level"))?;
        if level == "entries" {
            return Err(bad("an entry bundle path, not a tile"));
        }
        let level = parse_decimal(level).ok_or(bad("level is not a decimal number"))?;
        if level > 63 {
            return Err(bad("level is above 63"));
        }
        let (index, width) = parse_index_width(rest).map_err(bad)?;
        Ok(TileId {
            level: level as u8,
            index,
            width,
        })
    }
}

impl fmt::Display for TileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

impl EntryBundleId {
    /// The bundle `index` as it is in a tree of `size` leaves, or `None`.
    pub fn in_tree(index: u64, size: u64) -> Option<EntryBundleId> {
        TileId::in_tree(0, index, size).map(|t| EntryBundleId {
            index,
            width: t.width,
        })
    }

    /// The path under the log prefix: `tile/entries/<N>[.p/<W>]`.
    pub fn path(&self) -> String {
        let mut s = String::from("tile/entries/");
        encode_index(self.index, &mut s);
        width_suffix(self.width, &mut s);
        s
    }

    /// Parses a path `tile/entries/<N>[.p/<W>]`.
    pub fn parse_path(path: &str) -> Result<EntryBundleId, TileError> {
        let bad = |reason| TileError::BadPath {
            path: path.to_string(),
            reason,
        };
        let rest = path
            .strip_prefix("tile/entries/")
            .ok_or(bad("does not start with tile/entries/"))?;
        let (index, width) = parse_index_width(rest).map_err(bad)?;
        Ok(EntryBundleId { index, width })
    }
}

impl fmt::Display for EntryBundleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

fn parse_decimal(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

fn parse_index_width(s: &str) -> Result<(u64, u16), &'static str> {
    let (index_part, width) = match s.split_once(".p/") {
        Some((i, w)) => {
            let w = parse_decimal(w).ok_or("partial width is not a decimal number")?;
            if !(1..TILE_WIDTH).contains(&w) {
                return Err("partial width is not between 1 and 255");
            }
            (i, w as u16)
        }
        None => (s, TILE_WIDTH as u16),
    };
    let groups: Vec<&str> = index_part.split('/').collect();
    let mut index: u64 = 0;
    for (i, g) in groups.iter().enumerate() {
        let last = i + 1 == groups.len();
        let digits = if last {
            *g
        } else {
            g.strip_prefix('x')
                .ok_or("index groups before the last must start with x")?
        };
        if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("index groups must be 3 digits");
        }
        let v: u64 = digits.parse().map_err(|_| "index group is not a number")?;
        index = index
            .checked_mul(1000)
            .and_then(|x| x.checked_add(v))
            .ok_or("index overflows 64 bits")?;
    }
    if groups.len() > 1 && groups[0] == "x000" {
        return Err("index has a leading zero group");
    }
    Ok((index, width))
}

/// Number of hashes at tile level `level` (binary level `8 * level`) in a tree of `size`.
pub fn hashes_at_level(level: u8, size: u64) -> u64 {
    let shift = u32::from(level) * TILE_HEIGHT;
    if shift >= 64 { 0 } else { size >> shift }
}

/// Splits tile bytes into hashes, checking the length against the tile's width.
pub fn parse_tile(id: &TileId, data: &[u8]) -> Result<Vec<Hash>, TileError> {
    if data.len() != id.byte_len() {
        return Err(TileError::TileLength {
            path: id.path(),
            expected: id.byte_len(),
            got: data.len(),
        });
    }
    Ok(data
        .chunks_exact(32)
        .map(|c| {
            let mut h = [0u8; 32];
            h.copy_from_slice(c);
            h
        })
        .collect())
}

/// Splits an entry bundle into its entries.
pub fn parse_bundle(data: &[u8]) -> Result<Vec<&[u8]>, TileError> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos < data.len() {
        let Some(len) = data.get(pos..pos + 2) else {
            return Err(TileError::BadBundle {
                path: "bundle".into(),
                reason: format!("truncated length prefix at byte {pos}"),
            });
        };
        let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
        let start = pos + 2;
        let Some(entry) = data.get(start..start + len) else {
            return Err(TileError::BadBundle {
                path: "bundle".into(),
                reason: format!(
                    "entry {} at byte {pos} claims {len} bytes but only {} remain",
                    out.len(),
                    data.len() - start
                ),
            });
        };
        out.push(entry);
        pos = start + len;
    }
    Ok(out)
}

/// The prefix of a bundle holding its first `width` entries.
pub fn bundle_prefix(data: &[u8], width: u16) -> Result<&[u8], TileError> {
    let mut pos = 0usize;
    for i in 0..width {
        let Some(len) = data.get(pos..pos + 2) else {
            return Err(TileError::BadBundle {
                path: "bundle".into(),
                reason: format!("holds {i} entries, fewer than the {width} asked for"),
            });
        };
        pos += 2 + usize::from(u16::from_be_bytes([len[0], len[1]]));
    }
    data.get(..pos).ok_or_else(|| TileError::BadBundle {
        path: "bundle".into(),
        reason: "last entry is truncated".into(),
    })
}

/// Appends one entry, length-prefixed, to a bundle.
pub fn push_bundle_entry(bundle: &mut Vec<u8>, entry: &[u8]) -> Result<(), TileError> {
    let len = u16::try_from(entry.len()).map_err(|_| TileError::BadBundle {
        path: "bundle".into(),
        reason: format!(
            "entry of {} bytes exceeds the {MAX_ENTRY_LEN}-byte limit",
            entry.len()
        ),
    })?;
    bundle.extend_from_slice(&len.to_be_bytes());
    bundle.extend_from_slice(entry);
    Ok(())
}
