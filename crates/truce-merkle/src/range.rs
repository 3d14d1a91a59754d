//! Compact ranges (the right frontier of a growing tree) and a simple in-memory tree.

use crate::{Hash, HashSource, empty_root, node_hash};

/// Why a subtree cannot be appended to a compact range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    /// The range's size is not a multiple of the subtree's width.
    #[error(
        "cannot append a subtree of level {level} at tree size {size}: size is not a multiple of 2^{level}"
    )]
    Misaligned {
        /// Level of the subtree offered.
        level: u32,
        /// Current size of the range.
        size: u64,
    },
    /// The level is too high for a 64-bit tree size.
    #[error("subtree level {level} is too high")]
    LevelTooHigh {
        /// Level of the subtree offered.
        level: u32,
    },
}

/// The frontier of a tree of `size` leaves: the roots of its maximal complete subtrees, from the
/// leftmost (highest) to the rightmost (lowest). Appending is O(1) amortised; the root is
/// O(log n).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompactRange {
    size: u64,
    nodes: Vec<(u32, Hash)>,
}

impl CompactRange {
    /// The frontier of the empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of leaves covered.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The frontier nodes `(level, hash)`, leftmost first.
    pub fn nodes(&self) -> &[(u32, Hash)] {
        &self.nodes
    }

    /// Appends one leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        self.merge(0, leaf);
        self.size += 1;
    }

    /// Appends the root of a complete subtree of `2^level` leaves. The current size must be a
    /// multiple of `2^level`.
    pub fn push_subtree(&mut self, level: u32, hash: Hash) -> Result<(), RangeError> {
        if level >= 63 {
            return Err(RangeError::LevelTooHigh { level });
        }
        if self.size & ((1u64 << level) - 1) != 0 {
            return Err(RangeError::Misaligned {
                level,
                size: self.size,
            });
        }
        self.merge(level, hash);
        self.size += 1u64 << level;
        Ok(())
    }

    fn merge(&mut self, level: u32, hash: Hash) {
        let mut level = level;
        let mut hash = hash;
        while let Some(&(l, left)) = self.nodes.last() {
            if l != level {
                break;
            }
            self.nodes.pop();
            hash = node_hash(&left, &hash);
            level += 1;
        }
        self.nodes.push((level, hash));
    }

    /// The RFC 6962 root of the tree covered (SHA-256("") when empty).
    pub fn root(&self) -> Hash {
        let mut iter = self.nodes.iter().rev();
        let Some(&(_, mut root)) = iter.next() else {
            return empty_root();
        };
        for (_, left) in iter {
            root = node_hash(left, &root);
        }
        root
    }
}

/// A whole tree kept in memory, level by level: a [`HashSource`] for tests and small logs.
#[derive(Debug, Clone, Default)]
pub struct MemoryTree {
    levels: Vec<Vec<Hash>>,
}

impl MemoryTree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    /// Appends a leaf hash, completing every subtree it closes.
    pub fn push(&mut self, leaf: Hash) {
        let mut level = 0;
        let mut hash = leaf;
        loop {
            if self.levels.len() == level {
                self.levels.push(Vec::new());
            }
            let row = &mut self.levels[level];
            row.push(hash);
            if row.len() % 2 == 1 {
                break;
            }
            hash = node_hash(&row[row.len() - 2], &row[row.len() - 1]);
            level += 1;
        }
    }

    /// The root of the first `size` leaves (None if `size` exceeds the tree).
    pub fn root_at(&self, size: u64) -> Option<Hash> {
        if size > self.size() {
            return None;
        }
        crate::range_root(self, 0, size).ok()
    }

    /// The current root.
    pub fn root(&self) -> Hash {
        self.root_at(self.size()).unwrap_or_else(empty_root)
    }

    /// The complete-subtree hash at `(level, index)`, if present.
    pub fn get(&self, level: u32, index: u64) -> Option<Hash> {
        let row = self.levels.get(level as usize)?;
        row.get(usize::try_from(index).ok()?).copied()
    }
}

/// A node a [`MemoryTree`] does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no complete subtree at level {level}, index {index}")]
pub struct MissingNode {
    /// Level asked for.
    pub level: u32,
    /// Index asked for.
    pub index: u64,
}

impl HashSource for MemoryTree {
    type Error = MissingNode;
    fn node(&self, level: u32, index: u64) -> Result<Hash, MissingNode> {
        self.get(level, index).ok_or(MissingNode { level, index })
    }
}
